import type { ObjectStore } from '../store.ts'

/** The settings the emulated agent reads from kube-system/cilium-config (absent: Cilium is not installed). */
export interface CiliumConfig {
  bgpControlPlane: boolean
  tunnel: string
  /** `kubernetes`: pods get addresses from the node's spec.podCIDR; `cluster-pool`: from the operator's pool. */
  ipam: string
  /** cluster-pool's CIDR and per-node mask (10.0.0.0/8, 24 by default). */
  clusterPool: { cidr: string; maskSize: number }
  /** The agent's version, from the cilium DaemonSet's image tag (`1.13.0-rc5`, `1.18.2`). */
  version: string
  /** The chart's `cluster.name` (`cluster-name`), `default` unless set: part of every pod identity's labels. */
  clusterName: string
}

export function ciliumConfig(store: ObjectStore): CiliumConfig | undefined {
  const data = store.get('ConfigMap', 'kube-system', 'cilium-config')?.data
  if (!data) return undefined
  return {
    bgpControlPlane: data['enable-bgp-control-plane'] === 'true',
    // 1.15+ says routing-mode instead: native routing is what `tunnel: disabled` was.
    tunnel: data.tunnel ?? (data['routing-mode'] === 'native' ? 'disabled' : (data['tunnel-protocol'] ?? 'vxlan')),
    ipam: data.ipam,
    clusterPool: {
      cidr: data['cluster-pool-ipv4-cidr'] ?? '10.0.0.0/8',
      maskSize: Number(data['cluster-pool-ipv4-mask-size'] ?? 24),
    },
    clusterName: data['cluster-name'] || 'default',
    version:
      /:v?([^:@]+)$/.exec(
        store.get('DaemonSet', 'kube-system', 'cilium')?.spec?.template?.spec?.containers?.[0]?.image ?? '',
      )?.[1] ?? '1.13.0-rc5',
  }
}

/** The agent pod of a node (`cilium-xxxxx` of the cilium DaemonSet), when it runs. */
export const agentPod = (store: ObjectStore, node: string) =>
  store
    .list('Pod', 'kube-system')
    .find(
      (p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === node && p.status?.phase === 'Running',
    )
