import { type LabelSelector, matches } from '../selector.ts'
import type { KObject } from '../store.ts'
import type { NodeBgp } from './bgp-policy.ts'
import type { PeerTimers } from './gobgp-add-peer.ts'

/** One peer of a v2 BGP instance with what Cilium would advertise to it (ipv4/unicast). */
export interface V2Peer {
  name: string
  address: string
  asn: number
  /** The CiliumBGPPeerConfig it refers to, when there is one. */
  peerConfig?: string
  timers: PeerTimers
  prefixes: string[]
}

/** A node's v2 BGP instances: the speaker's routers plus the per-peer view `cilium bgp routes advertised` shows. */
export interface NodeBgpV2 extends NodeBgp {
  instances: { name: string; asn: number; peers: V2Peer[] }[]
}

/**
 * A peer's timers: its CiliumBGPPeerConfig's, each field missing (or no peer config) taking the CRD's default
 * (connectRetryTimeSeconds 120, holdTimeSeconds 90, keepAliveTimeSeconds 30), as the API server fills them in.
 */
export function peerTimers(peerConfig: KObject | undefined): PeerTimers {
  const timers = peerConfig?.spec?.timers ?? {}
  return {
    connectRetry: timers.connectRetryTimeSeconds ?? 120,
    holdTime: timers.holdTimeSeconds ?? 90,
    keepalive: timers.keepAliveTimeSeconds ?? 30,
  }
}

/** The labels an advertisement's Service selector sees: the service's own plus its name and namespace. */
const serviceLabels = (svc: KObject) => ({
  ...(svc.metadata.labels ?? {}),
  'io.kubernetes.service.name': svc.metadata.name,
  'io.kubernetes.service.namespace': svc.metadata.namespace ?? 'default',
})

/** Cilium announces LoadBalancer IPs of services without a class or with its own (io.cilium/bgp-control-plane). */
const ciliumClass = (svc: KObject) =>
  !svc.spec?.loadBalancerClass || svc.spec.loadBalancerClass === 'io.cilium/bgp-control-plane'

/** The /32s one Service advertisement yields. A nil selector selects NO service (the classic trap). */
function serviceRoutes(advert: any, services: KObject[]): string[] {
  const selector = advert.selector as LabelSelector | undefined
  if (!selector) return []
  const kinds: string[] = advert.service?.addresses ?? []
  const routes: string[] = []
  for (const svc of services) {
    if (!matches(selector, serviceLabels(svc))) continue
    if (kinds.includes('LoadBalancerIP') && svc.spec?.type === 'LoadBalancer' && ciliumClass(svc)) {
      for (const ingress of svc.status?.loadBalancer?.ingress ?? []) if (ingress.ip) routes.push(`${ingress.ip}/32`)
    }
    if (kinds.includes('ClusterIP') && svc.spec?.clusterIP && svc.spec.clusterIP !== 'None')
      routes.push(`${svc.spec.clusterIP}/32`)
    if (kinds.includes('ExternalIP')) for (const ip of svc.spec?.externalIPs ?? []) routes.push(`${ip}/32`)
  }
  return routes
}

/**
 * What one peer gets (Cilium 1.18 semantics, pkg/bgpv1/manager/reconcilerv2): the ipv4/unicast family of its
 * CiliumBGPPeerConfig selects CiliumBGPAdvertisements by label; no peer config, no such family or no selector means
 * nothing is advertised. PodCIDR advertises the node's pod CIDRs; Service the chosen addresses of selected services.
 */
function peerPrefixes(
  peerConfig: KObject | undefined,
  advertisements: KObject[],
  podCidrs: string[],
  services: KObject[],
): string[] {
  const family = (peerConfig?.spec?.families ?? []).find((f: any) => f.afi === 'ipv4' && f.safi === 'unicast')
  const selector = family?.advertisements as LabelSelector | undefined
  if (!selector) return []
  const prefixes: string[] = []
  for (const advertisement of advertisements) {
    if (!matches(selector, advertisement.metadata.labels ?? {})) continue
    for (const advert of advertisement.spec?.advertisements ?? []) {
      if (advert.advertisementType === 'PodCIDR') prefixes.push(...podCidrs)
      if (advert.advertisementType === 'Service') prefixes.push(...serviceRoutes(advert, services))
    }
  }
  return [...new Set(prefixes)].sort()
}

/**
 * The agent's decision for a node from its CiliumBGPNodeConfig: one BGP server per instance (router id = the
 * override's routerID, else the node's IPv4), one neighbor per peer with an address. GoBGP's global RIB is shared by
 * an instance's peers, so the speaker advertises the union of its peers' prefixes: per-peer differences are kept in
 * `instances` (for the CLI) but a lab instance has one peer, where both agree.
 */
export function nodeBgpV2(
  nodeConfig: KObject | undefined,
  nodeIp: string | undefined,
  podCidrs: string[],
  peerConfigs: KObject[],
  advertisements: KObject[],
  services: KObject[],
): NodeBgpV2 {
  const result: NodeBgpV2 = { routers: [], instances: [] }
  for (const instance of nodeConfig?.spec?.bgpInstances ?? []) {
    if (!instance.localASN)
      return {
        routers: [],
        instances: [],
        error: `failed to reconcile BGP instance ${instance.name}: local ASN is not set`,
      }
    const routerId = instance.routerID ?? nodeIp
    if (!routerId)
      return {
        routers: [],
        instances: [],
        error: `failed to get router ID for instance ${instance.name}: node has no IPv4 InternalIP`,
      }
    const peers: V2Peer[] = (instance.peers ?? [])
      .filter((p: any) => p.peerAddress)
      .map((p: any) => {
        const peerConfig = peerConfigs.find((c) => c.metadata.name === p.peerConfigRef?.name)
        return {
          name: p.name,
          address: p.peerAddress,
          asn: p.peerASN ?? 0,
          ...(p.peerConfigRef ? { peerConfig: p.peerConfigRef.name } : {}),
          timers: peerTimers(peerConfig),
          prefixes: peerPrefixes(peerConfig, advertisements, podCidrs, services),
        }
      })
    result.instances.push({ name: instance.name, asn: instance.localASN, peers })
    result.routers.push({
      asn: instance.localASN,
      routerId,
      neighbors: peers.map((p) => ({ address: p.address, asn: p.asn, timers: p.timers })),
      prefixes: [...new Set(peers.flatMap((p) => p.prefixes))].sort(),
    })
  }
  return result
}
