/**
 * Where the topology diagram draws what: spines on top, leaves below them, each node under the leaf it peers with
 * (or, before its session exists, under the leaf of its rack's position), and a line per session. Pure, so the
 * component only renders it.
 */
import type { TopologySession, TopologySnapshot } from '../../../protocol/messages'

export const VIEW = { width: 760, height: 350 }
const ROW_Y = { spine: 45, leaf: 170, node: 295 }
const SIZE = { router: { w: 130, h: 48 }, node: { w: 164, h: 48 } }
const NODE_SPACING = 180
/** How far along a session line (from its upper end) its state is written: clear of where spine-leaf lines cross. */
const LABEL_AT = 0.62

export interface TopologyBox {
  name: string
  kind: 'spine' | 'leaf' | 'node'
  x: number
  y: number
  w: number
  h: number
  /** A router that did not answer its probe. */
  silent: boolean
}

export interface TopologyLine {
  session: TopologySession
  x1: number
  y1: number
  x2: number
  y2: number
  labelX: number
  labelY: number
}

export function layoutTopology(snapshot: TopologySnapshot): { boxes: TopologyBox[]; lines: TopologyLine[] } {
  const spines = snapshot.routers.filter((r) => r.role === 'spine')
  const leaves = snapshot.routers.filter((r) => r.role === 'leaf')
  const boxes: TopologyBox[] = [
    ...spines.map((r, i) => ({
      name: r.name,
      kind: 'spine' as const,
      x: (VIEW.width * (i + 1)) / (spines.length + 1),
      y: ROW_Y.spine,
      ...SIZE.router,
      silent: !r.reachable,
    })),
    ...leaves.map((r, i) => ({
      name: r.name,
      kind: 'leaf' as const,
      x: (VIEW.width * (2 * i + 1)) / (2 * leaves.length),
      y: ROW_Y.leaf,
      ...SIZE.router,
      silent: !r.reachable,
    })),
  ]
  const routerNames = new Set(snapshot.routers.map((r) => r.name))
  const nodeNames = [
    ...new Set([
      ...(snapshot.nodes ?? []).map((n) => n.name),
      ...snapshot.sessions.filter((s) => !routerNames.has(s.peer)).map((s) => s.peer),
    ]),
  ]
  const racks = [
    ...new Set((snapshot.nodes ?? []).map((n) => n.rack).filter((rack): rack is string => rack !== null)),
  ].sort()
  const leafOf = (node: string): string | undefined => {
    const peering = snapshot.sessions.find((s) => s.peer === node && leaves.some((l) => l.name === s.router))
    if (peering) return peering.router
    const rack = snapshot.nodes?.find((n) => n.name === node)?.rack
    return leaves[rack ? racks.indexOf(rack) : -1]?.name ?? leaves.at(-1)?.name
  }
  for (const leaf of boxes.filter((b) => b.kind === 'leaf')) {
    const under = nodeNames.filter((node) => leafOf(node) === leaf.name)
    under.forEach((name, i) =>
      boxes.push({
        name,
        kind: 'node',
        x: leaf.x + (i - (under.length - 1) / 2) * NODE_SPACING,
        y: ROW_Y.node,
        ...SIZE.node,
        silent: false,
      }),
    )
  }
  const byName = new Map(boxes.map((b) => [b.name, b]))
  const lines: TopologyLine[] = []
  for (const session of snapshot.sessions) {
    const upper = byName.get(session.router)
    const lower = byName.get(session.peer)
    if (!upper || !lower) continue
    const [x1, y1, x2, y2] = [upper.x, upper.y + upper.h / 2, lower.x, lower.y - lower.h / 2]
    lines.push({ session, x1, y1, x2, y2, labelX: x1 + (x2 - x1) * LABEL_AT, labelY: y1 + (y2 - y1) * LABEL_AT })
  }
  return { boxes, lines }
}

/**
 * Names as the diagram shows them: the prefix every node name shares up to a dash (`clab-bgp-` of kind's
 * `clab-bgp-worker2`) is dropped, so four nodes fit side by side; the tables keep the full names kubectl prints.
 */
export function shortNames(names: string[]): (name: string) => string {
  if (names.length < 2) return (name) => name
  let common = names[0]
  for (const name of names) while (!name.startsWith(common)) common = common.slice(0, -1)
  const cut = common.lastIndexOf('-') + 1
  return (name) => (names.includes(name) ? name.slice(cut) : name)
}
