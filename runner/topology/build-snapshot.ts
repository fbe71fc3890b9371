/**
 * Builds the topology snapshot from what the probes answered. Pure: the reader runs the probes, this decides what
 * they mean, so it is tested on FRR's and kubectl's real output without a lab.
 *
 * A router that did not answer (stopped, or the fabric not deployed yet) cannot say what its sessions are: the
 * sessions its peers report down keep the peers' view (a spine sees its stopped leaf as Active), the ones they still
 * report Established and the ones only it knew of (a leaf's sessions to its nodes) are `unknown`, and stay in the
 * snapshot instead of vanishing from the diagram, as long as any router of the fabric still answers.
 */
import type {
  TopologyNode,
  TopologyRoute,
  TopologyRouter,
  TopologySession,
  TopologySessionState,
  TopologySnapshot,
} from '../../protocol/messages.ts'
import { type BgpSummary, parseBgpRoutes, parseBgpSummary } from './frr-json.ts'
import { parseNodes, parseServiceAddresses } from './kubernetes-json.ts'

/** Each probe's stdout, or null when it failed (non-zero exit, timeout, lab not up). */
export interface ProbeAnswers {
  routers: Record<string, { summary: string | null; routes: string | null }>
  nodes: string | null
  services: string | null
}

export function buildSnapshot(
  answers: ProbeAnswers,
  previous: TopologySnapshot | null,
  at = Date.now(),
): TopologySnapshot {
  const nodes = answers.nodes === null ? null : parseNodes(answers.nodes)
  const summaries = new Map<string, BgpSummary>()
  for (const [name, answer] of Object.entries(answers.routers)) {
    const summary = answer.summary === null ? null : parseBgpSummary(answer.summary)
    if (summary) summaries.set(name, summary)
  }
  // With no router answering there is no fabric to remember anything of (destroyed, or not deployed yet).
  const memory = summaries.size > 0 ? previous : null
  const routerNames = Object.keys(answers.routers)
  const asnOf = routerAsns(routerNames, summaries, memory)
  const routers: TopologyRouter[] = routerNames.map((name) => ({
    name,
    role: name.startsWith('spine') ? 'spine' : 'leaf',
    asn: asnOf.get(name) ?? null,
    reachable: summaries.has(name),
  }))
  const names = new AddressNames(routers, nodes ?? memory?.nodes ?? [])

  const observed = new Map<string, TopologySession>()
  for (const [router, summary] of summaries) {
    for (const peer of summary.peers) {
      const peerName = names.ofPeer(peer.address, peer.hostname, peer.remoteAs)
      names.learn(peer.address, peerName)
      const session = orient(router, peerName, peer.state, routers)
      const key = `${session.router}|${session.peer}`
      // Both ends report a router-to-router session: it is Established only if both say so.
      const seen = observed.get(key)
      if (!seen || seen.state === 'Established') observed.set(key, session)
    }
  }
  const silent = new Set(routers.filter((r) => !r.reachable).map((r) => r.name))
  // One end's Established is not enough when the other end is a router that did not answer: a spine takes a moment
  // to notice a leaf that was just stopped, and the diagram must not show a session up that nothing else confirms.
  for (const session of observed.values())
    if (session.state === 'Established' && (silent.has(session.router) || silent.has(session.peer)))
      session.state = 'unknown'
  for (const session of memory?.sessions ?? []) {
    const key = `${session.router}|${session.peer}`
    if (!observed.has(key) && (silent.has(session.router) || silent.has(session.peer)))
      observed.set(key, { ...session, state: 'unknown' })
  }

  const services = answers.services === null ? new Map<string, string>() : parseServiceAddresses(answers.services)
  const podCidrs = new Map((nodes ?? []).filter((n) => n.podCidr).map((n) => [n.podCidr!, n.name]))
  const routes: TopologyRoute[] = []
  for (const router of routerNames) {
    const text = answers.routers[router].routes
    for (const route of (text === null ? null : parseBgpRoutes(text)) ?? []) {
      const kind = podCidrs.has(route.prefix) ? 'pod-cidr' : route.prefix.endsWith('/32') ? 'service' : null
      if (!kind) continue
      const of = kind === 'pod-cidr' ? podCidrs.get(route.prefix)! : (services.get(route.prefix.slice(0, -3)) ?? null)
      // Next hops by name, not in FRR's order: ECMP reads "spine0, spine1" on both leaves.
      const nextHops = route.nextHops
        .map((address) => ({ address, name: names.of(address) }))
        .sort((a, b) => (a.name ?? a.address).localeCompare(b.name ?? b.address))
      routes.push({ router, prefix: route.prefix, kind, of, nextHops })
    }
  }
  routes.sort((a, b) => a.router.localeCompare(b.router) || comparePrefixes(a.prefix, b.prefix))

  const sessions = [...observed.values()].sort(
    (a, b) => a.router.localeCompare(b.router) || a.peer.localeCompare(b.peer),
  )
  return { routers, nodes, sessions, routes, at }
}

/** A router's AS from its own answer, else from what its peers call it, else from the last snapshot. */
function routerAsns(
  names: string[],
  summaries: Map<string, BgpSummary>,
  previous: TopologySnapshot | null,
): Map<string, number> {
  const asns = new Map<string, number>()
  for (const [name, summary] of summaries) if (summary.asn !== null) asns.set(name, summary.asn)
  for (const summary of summaries.values()) {
    for (const peer of summary.peers)
      if (peer.hostname && names.includes(peer.hostname) && peer.remoteAs !== null && !asns.has(peer.hostname))
        asns.set(peer.hostname, peer.remoteAs)
  }
  for (const router of previous?.routers ?? [])
    if (router.asn !== null && names.includes(router.name) && !asns.has(router.name)) asns.set(router.name, router.asn)
  return asns
}

/** Names the addresses of the lab: nodes by their InternalIP, routers by the addresses their peers reach them on. */
class AddressNames {
  private readonly names = new Map<string, string>()

  constructor(
    private readonly routers: TopologyRouter[],
    nodes: TopologyNode[],
  ) {
    for (const node of nodes) if (node.address) this.names.set(node.address, node.name)
  }

  /** A peer: a node by its address, else the name it sent (FRR keeps it after the session drops), else its AS. */
  ofPeer(address: string, hostname: string | null, remoteAs: number | null): string {
    const known = this.names.get(address)
    if (known) return known
    if (hostname) return hostname
    const byAs = this.routers.filter((r) => r.asn !== null && r.asn === remoteAs)
    return byAs.length === 1 ? byAs[0].name : address
  }

  learn(address: string, name: string): void {
    if (name !== address) this.names.set(address, name)
  }

  of(address: string): string | null {
    return this.names.get(address) ?? null
  }
}

/** The session named from the side nearer the spines (see TopologySession). */
function orient(router: string, peer: string, state: TopologySessionState, routers: TopologyRouter[]): TopologySession {
  const peerIsSpine = routers.some((r) => r.name === peer && r.role === 'spine')
  const ownIsSpine = routers.some((r) => r.name === router && r.role === 'spine')
  return peerIsSpine && !ownIsSpine ? { router: peer, peer: router, state } : { router, peer, state }
}

function comparePrefixes(a: string, b: string): number {
  const key = (prefix: string) =>
    prefix
      .split(/[./]/)
      .map((part) => part.padStart(3, '0'))
      .join('.')
  return key(a).localeCompare(key(b))
}
