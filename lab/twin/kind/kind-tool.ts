import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { bootstrapObjects, NODE_IMAGE } from '../cluster/bootstrap.ts'
import { clusterOf } from '../cluster/cluster.ts'
import type { ClusterRecord } from '../cluster/store.ts'
import type { TwinContext } from '../context.ts'
import { NotEmulatedError, refuseIfReal, suggestions } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { checkKindFlags, KIND_COMMANDS, KIND_NOUNS, type KindArgs, KindError, parseKindArgs } from './kind-commands.ts'
import { nodeNames, parseKindConfig } from './kind-config.ts'
import { exportLogs, KIND_VERSION } from './kind-export-logs.ts'
import { kubeconfig } from './kind-kubeconfig.ts'
import { attachNode, createKindNetwork } from './kind-network.ts'

const usage = `kind creates and manages local Kubernetes clusters using Docker container 'nodes'

Usage:
  kind [command]

Available Commands:
  create      Creates one of [cluster]
  delete      Deletes one of [cluster]
  export      Exports one of [kubeconfig, logs]
  get         Gets one of [clusters, nodes, kubeconfig]
  version     Prints the kind CLI version
`

async function createCluster(io: ToolIO, lab: TwinContext, args: KindArgs): Promise<number> {
  const cluster = clusterOf(lab)
  const option = (name: string) => args.flags.get(name)
  const configName = option('config')
  let text = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n'
  if (configName === '-') text = io.stdin ?? ''
  else if (configName) {
    const path = isAbsolute(configName) ? configName : join(io.cwd, configName)
    text = await readFile(path, 'utf8').catch(() => {
      throw new Error(`failed to create cluster: error reading file: open ${configName}: no such file or directory`)
    })
  }
  let config: ReturnType<typeof parseKindConfig>
  try {
    config = parseKindConfig(text)
  } catch (error) {
    throw new Error(`failed to create cluster: ${(error as Error).message}`)
  }
  const name = option('name') ?? config.name ?? 'kind'
  const image = option('image') ?? NODE_IMAGE
  if (image !== NODE_IMAGE)
    throw new Error(`failed to create cluster: the lab runs ${NODE_IMAGE} only (asked: ${image})`)
  const existing = cluster.store.cluster
  if (existing?.name === name)
    throw new Error(`failed to create cluster: node(s) already exist for a cluster with the name "${name}"`)
  if (existing)
    throw new Error(
      `failed to create cluster: this lab holds one cluster and "${existing.name}" exists (kind delete cluster --name ${existing.name})`,
    )

  const names = nodeNames(name, config.nodes)
  const say = (line: string) => io.stderr(`${line}\n`)
  say(`Creating cluster "${name}" ...`)
  say(` ✓ Ensuring node image (${image}) 🖼`)
  try {
    await createKindNetwork(lab)
    for (const [i, node] of names.entries()) {
      const ns = lab.ns(node)
      await lab.addNamespace(ns, { forwarding: true })
      await attachNode(lab, ns, i)
      lab.containers.set(node, {
        name: node,
        image,
        ns,
        kind: 'kind-node',
        createdAt: Date.now(),
        labels: { 'io.x-k8s.kind.cluster': name, 'io.x-k8s.kind.role': config.nodes[i].role },
      })
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
    nodes: config.nodes.map((node, i) => ({
      name: names[i],
      role: node.role,
      nodeIP: node.nodeIP,
      labels: node.labels,
    })),
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
  await removeNodes(
    lab,
    record.nodes.map((n) => n.name),
  )
}

/** Node namespaces go (their eth0 ports with them); the "kind" network stays for the next cluster, as with kind. */
async function removeNodes(lab: TwinContext, names: string[]): Promise<void> {
  for (const name of names) {
    lab.containers.delete(name)
    await lab.deleteNamespace(lab.ns(name))
  }
}

/** The verb's noun: the one to run, or kind's refusal (a real noun the twin lacks, or cobra's unknown command). */
function nounOf(verb: string, noun: string | undefined): string {
  const table = KIND_NOUNS[verb]
  if (noun === undefined) {
    const nouns = [...table.emulated, ...Object.keys(table.notEmulated)]
    throw new KindError(`Subcommand is required\n\nAvailable Commands: ${nouns.join(', ')}`)
  }
  if (table.emulated.includes(noun)) return noun
  refuseIfReal(table, noun, `${verb} ${noun}`)
  throw new KindError(`unknown command "${noun}" for "kind ${verb}"${suggestions(table, noun)}`)
}

/** `kind` as the lab host's PATH has it: create/delete/get clusters, nodes; version. */
export const kindTool: ToolHandler = async (io, lab) => {
  try {
    const args = parseKindArgs(io.argv)
    const [verb, noun] = args.positional
    if (verb === undefined || verb === 'help' || args.flags.has('help')) {
      io.stdout(usage)
      return { exitCode: 0 }
    }
    if (!KIND_COMMANDS.emulated.includes(verb)) {
      refuseIfReal(KIND_COMMANDS, verb)
      throw new KindError(`unknown command "${verb}" for "kind"${suggestions(KIND_COMMANDS, verb)}`)
    }
    const command = verb === 'version' ? verb : `${verb} ${nounOf(verb, noun)}`
    checkKindFlags(command, args)
    const cluster = clusterOf(lab)
    const name = args.flags.get('name') ?? 'kind'
    if (command === 'version') {
      io.stdout(`${KIND_VERSION}\n`)
    } else if (command === 'create cluster') {
      await createCluster(io, lab, args)
      lab.events.emit('changed')
    } else if (command === 'delete cluster') {
      await deleteCluster(lab, (line) => io.stderr(`${line}\n`), name)
      lab.events.emit('changed')
    } else if (command === 'get clusters') {
      const record = cluster.store.cluster
      if (record) io.stdout(`${record.name}\n`)
      else io.stderr('No kind clusters found.\n')
    } else if (command === 'get nodes') {
      const record = cluster.store.cluster
      if (record?.name === name) io.stdout(`${record.nodes.map((n) => n.name).join('\n')}\n`)
      else io.stderr(`No kind nodes found for cluster "${name}".\n`)
    } else if (command === 'get kubeconfig') {
      const record = cluster.store.cluster
      if (record?.name !== name)
        throw new KindError(
          `could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
        )
      io.stdout(kubeconfig(record, args.flags.has('internal')))
    } else {
      if (cluster.store.cluster?.name !== name) throw new KindError(`unknown cluster "${name}"`)
      // kind says where on stderr and prints the folder alone on stdout, so `cd $(kind export logs)` works.
      io.stderr(`Exporting logs for cluster "${name}" to:\n`)
      await cluster.settle()
      const written = await exportLogs(lab, cluster, args.positional[2], io.cwd)
      io.stdout(`${args.positional[2] ?? written}\n`)
    }
    return { exitCode: 0 }
  } catch (error) {
    // kind's logger ends a message with one newline, whether or not cobra's suggestions already end with one.
    io.stderr(
      error instanceof NotEmulatedError
        ? `${error.message}\n`
        : `ERROR: ${(error as Error).message.replace(/\n$/, '')}\n`,
    )
    return { exitCode: 1 }
  }
}
