import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { type RouterConfig, translateVyosConfig } from '../router/frr-config.ts'
import { type FrrInstance, startFrr } from '../router/frr-instance.ts'
import { attachToMgmt, ensureMgmtNetwork, freeMgmtAddress, removeMgmtNetwork } from './mgmt-network.ts'
import { clabError, isRouterImage, type Topology } from './topology.ts'
import { createLink, deleteLink, hostBridges } from './wiring.ts'

/** A deployed containerlab lab inside the twin: what destroy must undo. */
export interface Deployment {
  topology: Topology
  routers: Map<string, FrrInstance>
  /** Lab directory `clab-<name>` next to the topology file, as containerlab makes it. */
  labDir: string
  /** Container name -> its eth0 address on the management network (routers only). */
  mgmt: Map<string, string>
}

/** Deployments per twin lab, keyed by containerlab lab name. */
const deployments = new WeakMap<TwinContext, Map<string, Deployment>>()

/** Every management address a deployed lab holds, by container name (what the node table prints). */
export function mgmtAddresses(lab: TwinContext): Map<string, string> {
  return new Map([...labDeployments(lab).values()].flatMap((deployment) => [...deployment.mgmt]))
}

export function labDeployments(lab: TwinContext): Map<string, Deployment> {
  let map = deployments.get(lab)
  if (!map) {
    map = new Map()
    deployments.set(lab, map)
  }
  return map
}

type Log = (message: string) => void

/**
 * Everything that can fail because of the learner's input is checked before anything is created, so a bad topology
 * or VyOS config leaves the lab exactly as it was.
 */
async function preflight(lab: TwinContext, topology: Topology): Promise<Map<string, RouterConfig>> {
  const bridges = await hostBridges(lab)
  const configs = new Map<string, RouterConfig>()
  for (const node of topology.nodes.values()) {
    if (node.kind === 'bridge' && !bridges.has(node.name)) {
      throw clabError(`bridge "${node.name}" referenced in topology but does not exist`)
    }
    if (node.sharesWith && !lab.containers.has(node.sharesWith)) {
      throw clabError(`node "${node.name}": container "${node.sharesWith}" referenced in network-mode does not exist`)
    }
    if (isRouterImage(node.image)) {
      const source = node.vyosConfig ? readFileSync(node.vyosConfig, 'utf8') : ''
      configs.set(node.name, translateVyosConfig(source, node.vyosConfig ?? `${node.name}: default config`))
    }
    if (lab.containers.has(node.container)) {
      throw clabError(
        `container "${node.container}" already exists: destroy the lab first (clab destroy -t ${topology.fileName}) or deploy with --reconfigure`,
      )
    }
  }
  return configs
}

/** Builds the lab; on a failure half-way (a link the kernel refuses), removes what it made and rethrows. */
export async function deploy(lab: TwinContext, topology: Topology, log: Log): Promise<ContainerInfo[]> {
  const configs = await preflight(lab, topology)
  try {
    return await build(lab, topology, configs, log)
  } catch (error) {
    await destroy(lab, topology.name, { cleanup: false }, () => undefined)
    throw error
  }
}

async function build(
  lab: TwinContext,
  topology: Topology,
  configs: Map<string, RouterConfig>,
  log: Log,
): Promise<ContainerInfo[]> {
  const labDir = join(topology.file, '..', `clab-${topology.name}`)
  const used = new Set(mgmtAddresses(lab).values())
  const deployment: Deployment = { topology, routers: new Map(), labDir, mgmt: new Map() }
  labDeployments(lab).set(topology.name, deployment)
  await ensureMgmtNetwork(lab, log)
  log(`Creating lab directory: ${labDir}`)
  mkdirSync(labDir, { recursive: true })
  for (const node of topology.nodes.values()) {
    if (node.sharesWith && !topology.nodes.has(node.sharesWith)) {
      log(
        `node ${node.sharesWith} referenced in namespace sharing not found in topology definition, considering it an external dependency.`,
      )
    }
  }
  const created: ContainerInfo[] = []
  const labels = (node: string) => ({ containerlab: topology.name, 'clab-node-name': node })
  for (const node of topology.nodes.values()) {
    if (node.kind === 'bridge') continue
    log(`Creating container: "${node.name}"`)
    const info: ContainerInfo = {
      name: node.container,
      image: node.image ?? '',
      ns: node.sharesWith ? lab.containers.get(node.sharesWith)!.ns : lab.ns(node.container),
      kind: node.sharesWith ? 'host-sharing' : 'router',
      createdAt: Date.now(),
      labels: labels(node.name),
    }
    lab.containers.set(info.name, info)
    if (!node.sharesWith) {
      await lab.addNamespace(info.ns, { forwarding: true })
      const ip = freeMgmtAddress(used)
      used.add(ip)
      deployment.mgmt.set(info.name, ip)
      // One after the other: on two cores, four at once took 106-164 ms against 66-70 ms in turn.
      await attachToMgmt(lab, info.ns, ip)
    }
    created.push(info)
  }
  for (const link of topology.links) {
    await createLink(lab, topology, link)
    log(`Created link: ${link.a.node}:${link.a.iface} <--> ${link.b.node}:${link.b.iface}`)
  }
  for (const node of topology.nodes.values()) {
    for (const command of node.exec) {
      const ns = lab.containers.get(node.container)!.ns
      const result = await lab.run(['sh', '-c', command], { ns })
      if (result.exitCode !== 0) {
        log(
          `Failed to execute command "${command}" on the node "${node.name}". rc=${result.exitCode},\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
        )
      } else log(`Executed command "${command}" on the node "${node.name}". stdout: ${result.stdout}`)
    }
  }
  await Promise.all(
    [...configs].map(async ([name, config]) => {
      const node = topology.nodes.get(name)!
      const ns = lab.ns(node.container)
      // Addresses before the routing daemons: bgpd's first connect attempts then find their source addresses.
      for (const [iface, addresses] of config.interfaces) {
        for (const address of addresses) await lab.run(['ip', 'addr', 'add', address, 'dev', iface], { ns })
      }
      deployment.routers.set(name, await startFrr(lab, node.container, config))
    }),
  )
  writeFileSync(
    join(labDir, 'topology-data.json'),
    JSON.stringify({ name: topology.name, nodes: created.map((c) => c.name) }, null, 2),
  )
  lab.events.emit('changed')
  return created
}

export async function destroy(lab: TwinContext, name: string, options: { cleanup: boolean }, log: Log): Promise<void> {
  const deployment = labDeployments(lab).get(name)
  if (!deployment) return
  const { topology } = deployment
  log(`Destroying lab: ${name}`)
  for (const link of topology.links) await deleteLink(lab, topology, link)
  await Promise.all([...deployment.routers.values()].map((router) => router.stop()))
  for (const node of topology.nodes.values()) {
    if (node.kind === 'bridge') continue
    const info = lab.containers.get(node.container)
    if (!info) continue
    if (info.kind === 'router') await lab.deleteNamespace(info.ns)
    lab.containers.delete(node.container)
    log(`Removed container: ${node.container}`)
  }
  if (options.cleanup) rmSync(deployment.labDir, { recursive: true, force: true })
  labDeployments(lab).delete(name)
  if (labDeployments(lab).size === 0) await removeMgmtNetwork(lab)
  lab.events.emit('changed')
}
