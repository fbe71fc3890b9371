import type { ObjectStore } from '../store.ts'

/** The settings the emulated agent reads from kube-system/cilium-config (absent: Cilium is not installed). */
export interface CiliumConfig {
  bgpControlPlane: boolean
  tunnel: string
  /** `kubernetes`: pods get addresses from the node's spec.podCIDR; `cluster-pool`: from the operator's pool. */
  ipam: string
  /** cluster-pool's CIDR and per-node mask (10.0.0.0/8, 24 by default). */
  clusterPool: { cidr: string; maskSize: number }
}

export function ciliumConfig(store: ObjectStore): CiliumConfig | undefined {
  const data = store.get('ConfigMap', 'kube-system', 'cilium-config')?.data
  if (!data) return undefined
  return {
    bgpControlPlane: data['enable-bgp-control-plane'] === 'true',
    tunnel: data.tunnel,
    ipam: data.ipam,
    clusterPool: { cidr: data['cluster-pool-ipv4-cidr'] ?? '10.0.0.0/8', maskSize: Number(data['cluster-pool-ipv4-mask-size'] ?? 24) },
  }
}

/** The agent pod of a node (`cilium-xxxxx` of the cilium DaemonSet), when it runs. */
export const agentPod = (store: ObjectStore, node: string) =>
  store.list('Pod', 'kube-system').find(p => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === node && p.status?.phase === 'Running')
