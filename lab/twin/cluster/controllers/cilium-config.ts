import type { ObjectStore } from '../store.ts'

/** The settings the emulated agent reads from kube-system/cilium-config (absent: Cilium is not installed). */
export interface CiliumConfig {
  bgpControlPlane: boolean
  tunnel: string
  ipam: string
}

export function ciliumConfig(store: ObjectStore): CiliumConfig | undefined {
  const data = store.get('ConfigMap', 'kube-system', 'cilium-config')?.data
  if (!data) return undefined
  return { bgpControlPlane: data['enable-bgp-control-plane'] === 'true', tunnel: data.tunnel, ipam: data.ipam }
}

/** The agent pod of a node (`cilium-xxxxx` of the cilium DaemonSet), when it runs. */
export const agentPod = (store: ObjectStore, node: string) =>
  store.list('Pod', 'kube-system').find(p => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === node && p.status?.phase === 'Running')
