import { goDuration } from './go-duration.ts'
import { tabwriteText } from './tab-text.ts'

/** The part of one peer of `gobgp neighbor <address> -j` (GoBGP 3's apipb.Peer as JSON) the agent reads. */
export interface GobgpPeer {
  conf?: { local_asn?: number; neighbor_address?: string; peer_asn?: number }
  state?: { session_state?: number }
  timers?: { state?: { uptime?: { seconds?: number; nanos?: number } } }
  afi_safis?: {
    state?: { family?: { afi?: number; safi?: number }; received?: number; accepted?: number; advertised?: number }
  }[]
}

/** models.BgpPeer of the agent's API (`cilium bgp peers -o json` prints these). */
export interface BgpPeer {
  'local-asn': number
  'peer-address': string
  'peer-asn': number
  'session-state': string
  'uptime-nanoseconds'?: number
  families: { afi: string; safi: string; received?: number; accepted?: number; advertised?: number }[]
}

// pkg/bgpv1/agent/types.go: SessionState (GoBGP's PeerState_SessionState numbering), Afi and Safi names.
const SESSION_STATES = ['unknown', 'idle', 'connect', 'active', 'open_sent', 'open_confirm', 'established']
const AFIS: Record<number, string> = { 1: 'ipv4', 2: 'ipv6', 25: 'l2vpn', 16388: 'ls', 16397: 'opaque' }
const SAFIS: Record<number, string> = {
  1: 'unicast',
  2: 'multicast',
  4: 'mpls_label',
  7: 'encapsulation',
  65: 'vpls',
  70: 'evpn',
  71: 'ls',
  73: 'sr_policy',
  85: 'mup',
  128: 'mpls_vpn',
  129: 'mpls_vpn_multicast',
  132: 'route_target_constraints',
  133: 'flowspec_unicast',
  134: 'flowspec_vpn',
  241: 'key_value',
}

/**
 * The agent's translation of GoBGP's ListPeer answer (pkg/bgpv1/gobgp/state.go GetPeerState, Cilium v1.13 branch):
 * uptime only while established, measured from GoBGP's uptime timestamp and rounded to the second; zero counters are
 * absent, as Go's omitempty leaves them.
 */
export function toAgentPeer(peer: GobgpPeer, nowMs: number): BgpPeer {
  const state = peer.state?.session_state ?? 0
  const uptime = peer.timers?.state?.uptime
  const result: BgpPeer = {
    'local-asn': peer.conf?.local_asn ?? 0,
    'peer-address': peer.conf?.neighbor_address ?? '',
    'peer-asn': peer.conf?.peer_asn ?? 0,
    'session-state': SESSION_STATES[state] ?? 'unknown',
    families: [],
  }
  if (state === 6 && uptime?.seconds) {
    const upMs = uptime.seconds * 1000 + Math.floor((uptime.nanos ?? 0) / 1e6)
    result['uptime-nanoseconds'] = Math.max(0, Math.round((nowMs - upMs) / 1000)) * 1e9
  }
  for (const afiSafi of peer.afi_safis ?? []) {
    if (!afiSafi.state) continue
    const { family, received, accepted, advertised } = afiSafi.state
    result.families.push({
      afi: AFIS[family?.afi ?? 0] ?? 'unknown',
      safi: SAFIS[family?.safi ?? 0] ?? 'unknown',
      ...(received ? { received } : {}),
      ...(accepted ? { accepted } : {}),
      ...(advertised ? { advertised } : {}),
    })
  }
  return result
}

/**
 * `cilium bgp peers` as the v1.13 agent prints it: cilium/cmd/bgp_peer_get.go printSummary, added by cilium/cilium
 * PR 24612 and backported to v1.13 by PR 24821 (the `Peer Address` column has no port until PR 25809, v1.14).
 * Tabwriter minwidth 5, padding 3; every row ends with a tab, so the last column is padded too; a peer's further
 * families go on lines of their own, five tabs in. Go's sort.Slice with upstream's `<` or `<` comparison.
 */
export function formatBgpPeers(peers: BgpPeer[]): string {
  const less = (a: BgpPeer, b: BgpPeer) => a['local-asn'] < b['local-asn'] || a['peer-address'] < b['peer-address']
  const sorted = [...peers].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0))
  let text = 'Local AS\tPeer AS\tPeer Address\tSession\tUptime\tFamily\tReceived\tAdvertised\n'
  for (const peer of sorted) {
    text += `${peer['local-asn']}\t${peer['peer-asn']}\t${peer['peer-address']}\t${peer['session-state']}\t`
    text += `${goDuration((peer['uptime-nanoseconds'] ?? 0) / 1e9)}\t`
    peer.families.forEach((family, i) => {
      if (i > 0) text += '\t'.repeat(5)
      text += `${family.afi}/${family.safi}\t${family.received ?? 0}\t${family.advertised ?? 0}\t\n`
    })
  }
  return tabwriteText(text, 5, 3)
}

/** `cilium bgp peers -o json`: Go's json.MarshalIndent of the models, whose keys the generator orders alphabetically. */
export function bgpPeersJson(peers: BgpPeer[]): string {
  const sortKeys = (value: object) =>
    Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return `${JSON.stringify(
    peers.map((peer) => sortKeys({ ...peer, families: peer.families.map(sortKeys) })),
    null,
    2,
  )}\n`
}
