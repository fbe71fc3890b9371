import { type LabelSelector, matches } from '../selector.ts'
import type { KObject } from '../store.ts'
import type { RouterConfig } from './gobgp-speaker.ts'

/** What a node's BGP servers should be: one per virtual router, with the prefixes it advertises. */
export interface NodeBgp {
  routers: (Omit<RouterConfig, 'listen'> & { prefixes: string[] })[]
  /** Why the node has no BGP (logged by its agent), when something is wrong rather than merely unselected. */
  error?: string
}

/** Cilium 1.13's message for a node selected by several policies (the typo is upstream's). */
export const POLICY_CONFLICT =
  "more then one CiliumBGPPeeringPolicy applies to this node, please ensure only a single Policy matches this node's labels"

/** The labels a serviceSelector sees: the service's own plus its name and namespace. */
const serviceLabels = (svc: KObject) => ({
  ...(svc.metadata.labels ?? {}),
  'io.kubernetes.service.name': svc.metadata.name,
  'io.kubernetes.service.namespace': svc.metadata.namespace ?? 'default',
})

function routerId(node: KObject, asn: number, nodeIp: string | undefined): string | undefined {
  const annotation = node.metadata.annotations?.[`cilium.io/bgp-virtual-router.${asn}`]
  const fromAnnotation = annotation && /router-id=([\d.]+)/.exec(annotation)?.[1]
  return fromAnnotation || nodeIp
}

/**
 * The BGP control plane's decision for one node (Cilium 1.13 semantics): a policy applies when its nodeSelector
 * (nil selects no node, `{}` every node) matches the node's labels; two or more policies is an error and withdraws
 * everything; exportPodCIDR advertises spec.podCIDR; without serviceSelector no service is advertised, with one
 * every LoadBalancer ingress IP of a matching service is advertised as a /32.
 */
export function nodeBgp(node: KObject, nodeIp: string | undefined, policies: KObject[], services: KObject[]): NodeBgp {
  const labels = node.metadata.labels ?? {}
  const selected = policies.filter((p) => p.spec?.nodeSelector && matches(p.spec.nodeSelector as LabelSelector, labels))
  if (selected.length > 1) return { routers: [], error: POLICY_CONFLICT }
  if (selected.length === 0) return { routers: [] }
  const routers: NodeBgp['routers'] = []
  for (const vr of selected[0].spec.virtualRouters ?? []) {
    const id = routerId(node, vr.localASN, nodeIp)
    if (!id)
      return {
        routers: [],
        error: `failed to get router ID for virtual router with local ASN ${vr.localASN}: node has no IPv4 InternalIP`,
      }
    const prefixes: string[] = []
    if (vr.exportPodCIDR && node.spec.podCIDR) prefixes.push(node.spec.podCIDR)
    if (vr.serviceSelector) {
      for (const svc of services) {
        if (svc.spec?.type !== 'LoadBalancer' || !matches(vr.serviceSelector, serviceLabels(svc))) continue
        for (const ingress of svc.status?.loadBalancer?.ingress ?? []) if (ingress.ip) prefixes.push(`${ingress.ip}/32`)
      }
    }
    routers.push({
      asn: vr.localASN,
      routerId: id,
      neighbors: (vr.neighbors ?? []).map((n: { peerAddress: string; peerASN: number }) => ({
        address: n.peerAddress.split('/')[0],
        asn: n.peerASN,
      })),
      prefixes: [...new Set(prefixes)].sort(),
    })
  }
  return { routers }
}
