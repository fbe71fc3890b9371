import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import type { TwinContext } from '../context.ts'
import { clusterOf } from '../cluster/cluster.ts'
import { bootstrapObjects, NODE_IMAGE } from '../cluster/bootstrap.ts'
import type { ClusterRecord } from '../cluster/store.ts'
import { parseKindConfig, nodeNames } from './kind-config.ts'
import { attachNode, createKindNetwork, kindNetworkNs } from './kind-network.ts'

const usage = `kind creates and manages local Kubernetes clusters using Docker container 'nodes'

Usage:
  kind [command]

Available Commands:
  create      Creates one of [cluster]
  delete      Deletes one of [cluster]
  get         Gets one of [clusters, nodes]
  version     Prints the kind CLI version
`

/** `--name x`, `--name=x`, `--config=-` */
function option(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1]
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3)
  }
  return undefined
}

async function createCluster(io: ToolIO, lab: TwinContext): Promise<number> {
  const cluster = clusterOf(lab)
  const configName = option(io.argv, 'config')
  let text = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n'
  if (configName === '-') text = io.stdin ?? ''
  else if (configName) {
    const path = isAbsolute(configName) ? configName : join(io.cwd, configName)
    text = await readFile(path, 'utf8').catch(() => {
      throw new Error(`failed to create cluster: error reading file: open ${configName}: no such file or directory`)
    })
  }
  let config
  try {
    config = parseKindConfig(text)
  } catch (error) {
    throw new Error(`failed to create cluster: ${(error as Error).message}`)
  }
  const name = option(io.argv, 'name') ?? config.name ?? 'kind'
  const image = option(io.argv, 'image') ?? NODE_IMAGE
  if (image !== NODE_IMAGE) throw new Error(`failed to create cluster: the lab runs ${NODE_IMAGE} only (asked: ${image})`)
  const existing = cluster.store.cluster
  if (existing?.name === name) throw new Error(`failed to create cluster: node(s) already exist for a cluster with the name "${name}"`)
  if (existing) throw new Error(`failed to create cluster: this lab holds one cluster and "${existing.name}" exists (kind delete cluster --name ${existing.name})`)

  const names = nodeNames(name, config.nodes)
  const say = (line: string) => io.stderr(line + '\n')
  say(`Creating cluster "${name}" ...`)
  say(` ✓ Ensuring node image (${image}) 🖼`)
  try {
    await createKindNetwork(lab)
    for (const [i, node] of names.entries()) {
      const ns = lab.ns(node)
      await lab.addNamespace(ns, { forwarding: true })
      await attachNode(lab, ns, i)
      lab.containers.set(node, { name: node, image, ns, kind: 'kind-node', createdAt: Date.now(), labels: { 'io.x-k8s.kind.cluster': name, 'io.x-k8s.kind.role': config.nodes[i].role } })
    }
  } catch (error) {
    // Like kind, a failed create leaves nothing behind, so the learner can simply run it again.
    await removeNodes(lab, names)
    throw new Error(`failed to create cluster: ${(error as Error).message}`)
  }
  say(` ✓ Preparing nodes ${names.map(() => '📦').join(' ')}  `)
  say(' ✓ Writing configuration 📜 ')
  const record: ClusterRecord = {
    name,
    podSubnet: config.podSubnet,
    serviceSubnet: config.serviceSubnet,
    disableDefaultCNI: config.disableDefaultCNI,
    createdAt: Date.now(),
    nodes: config.nodes.map((node, i) => ({ name: names[i], role: node.role, nodeIP: node.nodeIP, labels: node.labels })),
  }
  cluster.store.setCluster(record)
  for (const object of bootstrapObjects(record)) cluster.store.create(object)
  say(' ✓ Starting control-plane 🕹️ ')
  if (!config.disableDefaultCNI) say(' ✓ Installing CNI 🔌 ')
  say(' ✓ Installing StorageClass 💾 ')
  if (names.length > 1) say(' ✓ Joining worker nodes 🚜 ')
  await cluster.settle()
  say(`Set kubectl context to "kind-${name}"`)
  say('You can now use your cluster with:\n')
  say(`kubectl cluster-info --context kind-${name}\n`)
  say('Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/')
  return 0
}

/** Deletes the cluster's objects first (controllers stop its pods and speakers), then the node namespaces. */
export async function deleteCluster(lab: TwinContext, say: (line: string) => void, name: string): Promise<void> {
  const cluster = clusterOf(lab)
  const record = cluster.store.cluster
  say(`Deleting cluster "${name}" ...`)
  if (!record || record.name !== name) return
  cluster.store.setCluster(null)
  await cluster.settle()
  await removeNodes(lab, record.nodes.map(n => n.name))
}

async function removeNodes(lab: TwinContext, names: string[]): Promise<void> {
  for (const name of names) {
    lab.containers.delete(name)
    await lab.deleteNamespace(lab.ns(name))
  }
  await lab.deleteNamespace(kindNetworkNs(lab))
}

/** `kind` as the lab host's PATH has it: create/delete/get clusters, nodes; version. */
export const kindTool: ToolHandler = async (io, lab) => {
  const [verb, noun] = io.argv.filter(a => !a.startsWith('-'))
  try {
    const cluster = clusterOf(lab)
    if (verb === 'version') {
      io.stdout('kind v0.18.0 go1.20.2 linux/amd64\n')
    } else if (verb === 'create' && noun === 'cluster') {
      await createCluster(io, lab)
      lab.events.emit('changed')
    } else if (verb === 'delete' && noun === 'cluster') {
      await deleteCluster(lab, line => io.stderr(line + '\n'), option(io.argv, 'name') ?? 'kind')
      lab.events.emit('changed')
    } else if (verb === 'get' && noun === 'clusters') {
      const record = cluster.store.cluster
      if (record) io.stdout(`${record.name}\n`)
      else io.stderr('No kind clusters found.\n')
    } else if (verb === 'get' && noun === 'nodes') {
      const record = cluster.store.cluster
      const name = option(io.argv, 'name') ?? 'kind'
      if (record?.name === name) io.stdout(record.nodes.map(n => n.name).join('\n') + '\n')
      else io.stderr(`No kind nodes found for cluster "${name}".\n`)
    } else {
      io.stderr(verb ? `ERROR: unknown command "${[verb, noun].filter(Boolean).join(' ')}" for "kind"\n` : usage)
      return { exitCode: verb ? 1 : 0 }
    }
    return { exitCode: 0 }
  } catch (error) {
    io.stderr(`ERROR: ${(error as Error).message}\n`)
    return { exitCode: 1 }
  }
}
