import { clusterOf } from '../cluster/cluster.ts'
import { ipBatch } from '../cluster/ip-batch.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { setLinks } from './container-links.ts'

/**
 * `docker stop` / `docker start` of a kind node container. What runs in the node stops with it: the cluster's
 * controllers see the container stopped (cluster/node-power.ts) and end its Cilium agent's GoBGP speaker (the leaf
 * gets a Cease, the node's pod CIDR and service routes leave the fabric), its pods (their namespaces go, and the
 * node's routes to them) and its kubelet's reports (the node goes NotReady after the grace period,
 * controllers/node-lifecycle.ts); then its links go down, so the node's address stops answering. Starting brings
 * the links and the node's own routes back, and the controllers start the agent, its speaker and the pods again.
 */

interface Route {
  dst: string
  gateway?: string
  dev: string
  protocol?: string
  scope?: string
  prefsrc?: string
  metric?: number
}

/** The node's own routes (its default route, what a learner added), which the kernel flushes with a link set down. */
const savedRoutes = new WeakMap<ContainerInfo, Route[]>()

/** Routes the node gets back on its own: the kernel's for its addresses, Cilium's, and the pods' (pod-network.ts). */
const restoredByOthers = (route: Route) =>
  route.protocol === 'kernel' || route.dev.startsWith('cilium_') || route.dev.startsWith('lxc')

async function ownRoutes(lab: TwinContext, ns: string): Promise<Route[]> {
  const result = await lab.run(['ip', '-j', 'route', 'show'], { ns })
  const routes = result.exitCode === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as Route[]) : []
  return routes.filter((route) => !restoredByOthers(route))
}

const routeLine = (r: Route) =>
  [
    `route replace ${r.dst}`,
    r.gateway && `via ${r.gateway}`,
    `dev ${r.dev}`,
    r.protocol && `proto ${r.protocol}`,
    r.scope && r.scope !== 'global' && `scope ${r.scope}`,
    r.prefsrc && `src ${r.prefsrc}`,
    r.metric !== undefined && `metric ${r.metric}`,
  ]
    .filter(Boolean)
    .join(' ')

/** Stops what runs in the node; the container is already marked stopped, so the controllers take it down. */
export async function stopKindNode(lab: TwinContext, info: ContainerInfo): Promise<void> {
  const cluster = clusterOf(lab)
  lab.events.emit('changed')
  await cluster.settle()
  savedRoutes.set(info, await ownRoutes(lab, info.ns))
  await setLinks(lab, info.ns, 'down')
}

/** Brings the node's links and routes back; marked started afterwards, the controllers start what runs in it. */
export async function startKindNode(lab: TwinContext, info: ContainerInfo): Promise<void> {
  await setLinks(lab, info.ns, 'up')
  const routes = savedRoutes.get(info) ?? []
  savedRoutes.delete(info)
  if (routes.length) await ipBatch(lab, info.ns, routes.map(routeLine))
}
