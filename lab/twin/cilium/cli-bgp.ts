import type { SpeakerCall } from './agent-state.ts'
import type { BgpPeer } from './bgp-peers.ts'
import { goDuration } from './go-duration.ts'
import { tabwriteText } from './tab-text.ts'

/** One path of `gobgp global rib -j` / `gobgp neighbor <address> adj-out -j` (GoBGP 3's CLI JSON). */
export interface GobgpPath {
  nlri?: { prefix?: string }
  /** Unix seconds when the path was learned or originated. */
  age?: number
  attrs?: { type: number; value?: number; nexthop?: string; as_paths?: { asns?: number[] }[] }[]
}

/** models.BgpRoute as cilium-cli prints it: the vrouter's ASN, the peer (advertised only), the prefix and its paths. */
export interface CliRoute {
  routerAsn: number
  neighbor?: string
  prefix: string
  paths: GobgpPath[]
}

// tabwriter settings of cilium-cli's bgp package (cilium-cli/bgp/peers.go: minWidth 5, padding 3).
const MIN_WIDTH = 5
const PADDING = 3

/** Go's sort.Slice with cilium-cli's `a < b || c < d` comparators, kept as they are. */
function goSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  return [...items].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0))
}

/**
 * `cilium bgp peers` of cilium-cli (cilium/cilium cilium-cli/bgp/peers.go printSummary): one block per node, sorted
 * by name, the node's name on its first peer only; a node without peers prints no row. Rows end with a tab, so every
 * column of data rows is padded; further families of a peer go six tabs in.
 */
export function formatCliPeers(peersPerNode: Map<string, BgpPeer[]>): string {
  let text = 'Node\tLocal AS\tPeer AS\tPeer Address\tSession State\tUptime\tFamily\tReceived\tAdvertised\n'
  for (const node of [...peersPerNode.keys()].sort()) {
    const peers = goSort(
      peersPerNode.get(node)!,
      (a, b) => a['local-asn'] < b['local-asn'] || a['peer-address'] < b['peer-address'],
    )
    peers.forEach((peer, i) => {
      text += `${i === 0 ? node : ''}\t${peer['local-asn']}\t${peer['peer-asn']}\t${peer['peer-address']}\t${peer['session-state']}\t`
      text += `${goDuration((peer['uptime-nanoseconds'] ?? 0) / 1e9)}\t`
      peer.families.forEach((family, j) => {
        if (j > 0) text += '\t'.repeat(6)
        text += `${family.afi}/${family.safi}\t${family.received ?? 0}\t${family.advertised ?? 0}\t\n`
      })
    })
  }
  return tabwriteText(text, MIN_WIDTH, PADDING)
}

const ORIGINS = ['i', 'e', '?']

/** GoBGP's String() of a path attribute (pkg/packet/bgp), which cilium-cli prints in the Attrs column. */
function attrText(attr: NonNullable<GobgpPath['attrs']>[number]): string {
  switch (attr.type) {
    case 1:
      return `{Origin: ${ORIGINS[attr.value ?? 0] ?? attr.value}}`
    case 2:
      return `{AsPath: ${(attr.as_paths ?? []).flatMap((segment) => segment.asns ?? []).join(' ')}}`
    case 3:
      return `{Nexthop: ${attr.nexthop}}`
    case 4:
      return `{Med: ${attr.value}}`
    case 5:
      return `{LocalPref: ${attr.value}}`
    default:
      return `{Type: ${attr.type}}`
  }
}

/** The NextHop column: the NEXT_HOP attribute, else 0.0.0.0 (cilium-cli nextHopFromPathAttributes). */
const nextHop = (path: GobgpPath) => path.attrs?.find((a) => a.type === 3)?.nexthop ?? '0.0.0.0'

/**
 * `cilium bgp routes available|advertised` of cilium-cli (cilium-cli/bgp/routes.go printRouteSummary): a row per
 * path, the node's name on its first route only, the Peer column for advertised routes; sorted per node by vrouter,
 * peer and prefix with the upstream comparator. Age is from GoBGP's timestamp, rounded to the second.
 */
export function formatCliRoutes(routesPerNode: Map<string, CliRoute[]>, printPeer: boolean, nowMs: number): string {
  let text = printPeer
    ? 'Node\tVRouter\tPeer\tPrefix\tNextHop\tAge\tAttrs\n'
    : 'Node\tVRouter\tPrefix\tNextHop\tAge\tAttrs\n'
  for (const node of [...routesPerNode.keys()].sort()) {
    const routes = goSort(
      routesPerNode.get(node)!,
      (a, b) => a.routerAsn < b.routerAsn || (a.neighbor ?? '') < (b.neighbor ?? '') || a.prefix < b.prefix,
    )
    routes.forEach((route, i) => {
      text += `${i === 0 ? node : ''}\t`
      for (const path of route.paths) {
        text += `${route.routerAsn}\t${printPeer ? `${route.neighbor}\t` : ''}${path.nlri?.prefix ?? route.prefix}\t${nextHop(path)}\t`
        text += `${goDuration(Math.max(0, nowMs / 1000 - (path.age ?? nowMs / 1000)))}\t[${(path.attrs ?? []).map(attrText).join(' ')}]\t\n`
      }
      if (route.paths.length === 0) text += '\n'
    })
  }
  return tabwriteText(text, MIN_WIDTH, PADDING)
}

/** `gobgp ... rib -j`'s map of prefix to paths as routes of one vrouter (and peer). */
const toRoutes = (rib: Record<string, GobgpPath[]> | null, routerAsn: number, neighbor?: string): CliRoute[] =>
  Object.entries(rib ?? {}).map(([prefix, paths]) => ({ routerAsn, ...(neighbor ? { neighbor } : {}), prefix, paths }))

/**
 * What the agent's `bgp routes <available|advertised> ipv4 unicast` answers for one node, read from its speakers as
 * the agent reads its embedded GoBGP: the global RIB (available), or each established peer's Adj-RIB-Out (advertised).
 */
export async function nodeRoutes(speakers: SpeakerCall[], table: 'available' | 'advertised'): Promise<CliRoute[]> {
  const routes: CliRoute[] = []
  for (const gobgp of speakers) {
    const asn: number | undefined = (await gobgp(['global']))?.asn
    if (!asn) continue
    if (table === 'available') {
      routes.push(...toRoutes(await gobgp(['global', 'rib', '-a', 'ipv4']), asn))
      continue
    }
    for (const peer of ((await gobgp(['neighbor'])) ?? []) as {
      conf?: { neighbor_address?: string }
      state?: { session_state?: number }
    }[]) {
      const address = peer.conf?.neighbor_address
      // GoBGP has no Adj-RIB-Out for a session that is not established (it answers an error).
      if (!address || peer.state?.session_state !== 6) continue
      const rib = await gobgp(['neighbor', address, 'adj-out', '-a', 'ipv4'])
      if (rib && !('error' in rib)) routes.push(...toRoutes(rib, asn, address))
    }
  }
  return routes
}
