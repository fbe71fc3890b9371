import type { BgpPeer } from '../../cilium/bgp-peers.ts'
import type { NodeBgpV2 } from './bgp-v2.ts'

/**
 * The status the 1.18 agent writes into its node's CiliumBGPNodeConfig (CiliumBGPNodeStatus): per instance and peer
 * the session state as GoBGP reports it, when it was established (RFC 3339, UTC, whole seconds) and the routes
 * received and advertised per family. A peer the speaker does not know yet has no state.
 */
export function nodeConfigStatus(instances: NodeBgpV2['instances'], peers: BgpPeer[], nowMs: number) {
  return {
    bgpInstances: instances.map((instance) => ({
      name: instance.name,
      localASN: instance.asn,
      peers: instance.peers.map((peer) => {
        const live = peers.find((p) => p['local-asn'] === instance.asn && p['peer-address'] === peer.address)
        const upNs = live?.['uptime-nanoseconds']
        return {
          name: peer.name,
          peerAddress: peer.address,
          peerASN: peer.asn,
          ...(live ? { peeringState: live['session-state'] } : {}),
          ...(live && upNs !== undefined
            ? {
                establishedTime: new Date(Math.floor((nowMs - upNs / 1e6) / 1000) * 1000)
                  .toISOString()
                  .replace('.000Z', 'Z'),
              }
            : {}),
          ...(live
            ? {
                routeCount: live.families.map((f) => ({
                  afi: f.afi,
                  safi: f.safi,
                  received: f.received ?? 0,
                  advertised: f.advertised ?? 0,
                })),
              }
            : {}),
        }
      }),
    })),
  }
}

/** Every peer of every instance is established (the status needs no further refresh until something changes). */
export const allEstablished = (status: ReturnType<typeof nodeConfigStatus>) =>
  status.bgpInstances.every((i) => i.peers.every((p) => p.peeringState === 'established'))
