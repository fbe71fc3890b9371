import { readFileSync } from 'node:fs'
import { type Deployment, labDeployments } from '../clab/deploy.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { translateVyosConfig } from '../router/frr-config.ts'
import { startFrr } from '../router/frr-instance.ts'
import { routerFiles } from '../router/router-files.ts'
import { setLinks } from './container-links.ts'

/**
 * `docker stop` / `docker start` of a router container. Stopping a real container ends its processes and takes its
 * network namespace away; the twin stops the router's zebra and bgpd (bgpd's shutdown sends its peers a Cease) and
 * sets its interfaces down (container-links.ts). Starting boots FRR from the saved config, as VyOS boots from config.boot: what was
 * committed but not saved is gone, as on the real router.
 */

/** The deployment and node name of a router container. */
function routerOf(lab: TwinContext, info: ContainerInfo): { deployment: Deployment; node: string } | undefined {
  for (const deployment of labDeployments(lab).values()) {
    for (const node of deployment.topology.nodes.values())
      if (node.container === info.name) return { deployment, node: node.name }
  }
  return undefined
}

export async function stopRouter(lab: TwinContext, info: ContainerInfo): Promise<void> {
  const found = routerOf(lab, info)
  await setLinks(lab, info.ns, 'down')
  const instance = found?.deployment.routers.get(found.node)
  if (!found || !instance) return
  // Out of the deployment first: a destroy of the stopped lab then has no daemons of this router to stop.
  found.deployment.routers.delete(found.node)
  await instance.stop()
}

export async function startRouter(lab: TwinContext, info: ContainerInfo): Promise<void> {
  const found = routerOf(lab, info)
  await setLinks(lab, info.ns, 'up')
  if (!found || found.deployment.routers.has(found.node)) return
  const files = routerFiles(lab, info.name)
  const source = readFileSync(files.saved, 'utf8')
  found.deployment.routers.set(found.node, await startFrr(lab, info.name, translateVyosConfig(source, files.saved)))
}
