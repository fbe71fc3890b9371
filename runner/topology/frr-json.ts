/**
 * The two FRR answers the topology is read from, as FRR 8.4 prints them with `vtysh -c '... json'`: `show bgp summary
 * json` (the router's AS and each neighbour's state) and `show ip route bgp json` (installed BGP routes with their
 * next hops). Only the fields the diagram needs are read; anything else in FRR's output is ignored, so a newer FRR
 * that adds fields reads the same.
 */
import type { TopologySessionState } from '../../protocol/messages.ts'

export interface BgpSummary {
  asn: number | null
  peers: { address: string; hostname: string | null; remoteAs: number | null; state: TopologySessionState }[]
}

export interface BgpRoute {
  prefix: string
  nextHops: string[]
}

const STATES = new Set<TopologySessionState>(['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established'])

/** `show bgp summary json`; null when it is not that (a router that is not running answers with an error). */
export function parseBgpSummary(text: string): BgpSummary | null {
  const json = parseJson(text) as {
    ipv4Unicast?: { as?: unknown; peers?: Record<string, Record<string, unknown>> }
  } | null
  // A router with no IPv4 neighbour answers `{}`: a summary with nothing in it, not a failure.
  if (!json || typeof json !== 'object') return null
  const unicast = json.ipv4Unicast ?? {}
  const peers = Object.entries(unicast.peers ?? {}).map(([address, peer]) => ({
    address,
    hostname: typeof peer.hostname === 'string' ? peer.hostname : null,
    remoteAs: typeof peer.remoteAs === 'number' ? peer.remoteAs : null,
    // FRR 8 prints `Idle (Admin)` or `Idle (PfxCt)` for a peer held down: the state is the first word.
    state: STATES.has(String(peer.state).split(' ')[0] as TopologySessionState)
      ? (String(peer.state).split(' ')[0] as TopologySessionState)
      : 'unknown',
  }))
  return { asn: typeof unicast.as === 'number' ? unicast.as : null, peers }
}

/** `show ip route bgp json`: the selected route of each prefix with its active next hops; null when not that. */
export function parseBgpRoutes(text: string): BgpRoute[] | null {
  const json = parseJson(text) as Record<
    string,
    { selected?: boolean; nexthops?: { ip?: string; active?: boolean }[] }[]
  > | null
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null
  const routes: BgpRoute[] = []
  for (const [prefix, entries] of Object.entries(json)) {
    if (!Array.isArray(entries)) return null
    const selected = entries.find((entry) => entry.selected)
    if (!selected) continue
    const nextHops = (selected.nexthops ?? [])
      .filter((hop) => hop.active !== false && typeof hop.ip === 'string')
      .map((hop) => hop.ip as string)
    routes.push({ prefix, nextHops })
  }
  return routes
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
