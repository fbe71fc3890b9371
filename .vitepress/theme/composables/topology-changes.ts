/**
 * What changed between two topology snapshots, worth saying to a screen reader: a session's state, a router that
 * stops or starts answering, and on which routers the routes changed. Nothing when only the time of reading differs,
 * so a poll that finds the same lab is never announced.
 */
import type { TopologySessionState, TopologySnapshot } from '../../../protocol/messages'

export type TopologyChange =
  | { kind: 'session'; router: string; peer: string; state: TopologySessionState }
  | { kind: 'router'; router: string; reachable: boolean }
  | { kind: 'routes'; routers: string[] }

export function topologyChanges(before: TopologySnapshot, after: TopologySnapshot): TopologyChange[] {
  const changes: TopologyChange[] = []
  for (const router of after.routers) {
    const was = before.routers.find((r) => r.name === router.name)
    if (was && was.reachable !== router.reachable)
      changes.push({ kind: 'router', router: router.name, reachable: router.reachable })
  }
  const stateBefore = new Map(before.sessions.map((s) => [`${s.router}|${s.peer}`, s.state]))
  for (const session of after.sessions) {
    if (stateBefore.get(`${session.router}|${session.peer}`) !== session.state)
      changes.push({ kind: 'session', router: session.router, peer: session.peer, state: session.state })
  }
  const routesOf = (snapshot: TopologySnapshot, router: string) =>
    snapshot.routes
      .filter((r) => r.router === router)
      .map((r) => `${r.prefix}>${r.nextHops.map((h) => h.address).join(',')}`)
      .join(' ')
  const routers = after.routers.map((r) => r.name).filter((name) => routesOf(before, name) !== routesOf(after, name))
  if (routers.length > 0) changes.push({ kind: 'routes', routers })
  return changes
}
