import { type Cluster, clusterOf } from '../cluster/cluster.ts'
import { ciliumConfig } from '../cluster/controllers/cilium-config.ts'
import {
  answeringNotEmulated,
  type CommandTable,
  commandName,
  NotEmulatedError,
  refuseIfReal,
  suggestions,
} from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { AgentUnreachableError, agentPeers, agentStatus, BGP_DISABLED, requireAgent } from './agent-state.ts'
import { bgpPeersJson, formatBgpPeers } from './bgp-peers.ts'
import {
  BGP_HELP,
  CILIUM_COMMANDS,
  ENDPOINT_COMMANDS,
  ENDPOINT_HELP,
  NODE_COMMANDS,
  NODE_HELP,
  SERVICE_COMMANDS,
  SERVICE_HELP,
} from './commands.ts'
import { agentEndpoints, formatEndpointList } from './endpoint-list.ts'
import { agentNodes, formatNodeList } from './node-list.ts'
import { agentServices, formatServiceList } from './service-list.ts'
import { formatStatus } from './status.ts'
import { formatVersion } from './version.ts'

/** Flags that take a value (the root's persistent --config and -H/--host, and -o/--output). */
const VALUED = new Set(['--config', '-H', '--host', '-o', '--output'])

interface Parsed {
  words: string[]
  flags: Map<string, string | true>
}

/** Splits argv into words and flags as cobra/pflag would (`--flag=value`, `--flag value`, `-o json`). */
function parse(argv: string[]): Parsed {
  const words: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('-') || arg === '-') words.push(arg)
    else if (arg.includes('=')) flags.set(arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1))
    else if (VALUED.has(arg)) flags.set(arg, argv[++i] ?? '')
    else flags.set(arg, true)
  }
  return { words, flags }
}

const output = (p: Parsed) => p.flags.get('-o') ?? p.flags.get('--output')

/** Flags the twin does not honour are refused, never ignored (`-H` would name another agent). */
function refuseFlags(p: Parsed, allowed: string[], what: string): void {
  for (const name of p.flags.keys()) {
    if (!allowed.includes(name))
      throw new NotEmulatedError(
        'cilium',
        `${what} ${name}`,
        `The twin's agent CLI takes ${allowed.join(', ') || 'no flags'} here.`,
      )
  }
}

/** cobra's unknown-command error at the root; cilium's Execute prints the error once more on stdout (cilium/cmd/root.go). */
function unknownCommand(io: ToolIO, word: string): number {
  const message = `unknown command "${word}" for "cilium"${suggestions(CILIUM_COMMANDS, word)}`
  io.stderr(`Error: ${message}\nRun 'cilium --help' for usage.\n`)
  io.stdout(`${message}\n`)
  return 1
}

async function status(io: ToolIO, cluster: Cluster, node: string | undefined, p: Parsed): Promise<number> {
  refuseFlags(p, ['--verbose', '--all-addresses', '--brief'], 'status')
  const facts = agentStatus(cluster, node)
  if (p.flags.has('--brief')) io.stdout('OK\n')
  else io.stdout(formatStatus(facts, p.flags.has('--verbose') || p.flags.has('--all-addresses')))
  return 0
}

async function bgp(io: ToolIO, cluster: Cluster, node: string | undefined, p: Parsed): Promise<number> {
  if (p.words[1] !== 'peers') return groupAnswer(io, BGP_HELP, p)
  refuseFlags(p, ['-o', '--output'], 'bgp peers')
  const format = output(p)
  if (format !== undefined && format !== 'json')
    throw new NotEmulatedError('cilium', `bgp peers -o ${format}`, 'The twin prints the table or -o json.')
  const peers = await agentPeers(cluster, node)
  if (peers === null) {
    // cilium/cmd/helpers.go Fatalf: "Error: " and the message, whose own newline leaves an empty line.
    io.stderr(`Error: cannot get peers list: ${BGP_DISABLED}\n\n`)
    return 1
  }
  io.stdout(format === 'json' ? bgpPeersJson(peers) : formatBgpPeers(peers))
  return 0
}

/**
 * What cobra does with a group (`cilium bgp`) given no or an unknown subcommand: it parses the flags first, so one
 * the group lacks (`-o`, which only its subcommands have) is an error, with the group's usage (its help from `Usage:`)
 * on stderr and cilium's Execute printing the error again on stdout (cobra ExecuteC, cilium/cmd/root.go); without
 * such a flag it prints the group's help, exit 0.
 */
function groupAnswer(io: ToolIO, help: string, p: Parsed): number {
  const [flag] = p.flags.keys()
  if (flag === undefined) {
    io.stdout(help)
    return 0
  }
  const message = flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag[1]}' in ${flag}`
  io.stderr(`Error: ${message}\n${help.slice(help.indexOf('Usage:'))}\n`)
  io.stdout(`${message}\n`)
  return 1
}

/**
 * The subcommand of a group (`cilium service list`), or the exit code of the group's own answer (groupAnswer) for no
 * or an unknown subcommand. Real subcommands the twin does not do are refused.
 */
function subcommand(io: ToolIO, table: CommandTable, help: string, p: Parsed): string | number {
  const sub = p.words[1]
  const known = [...table.emulated, ...Object.keys(table.notEmulated), ...Object.keys(table.aliases ?? {})]
  if (sub === undefined || !known.includes(sub)) return groupAnswer(io, help, p)
  refuseIfReal(table, sub, `${p.words[0]} ${sub}`)
  return commandName(table, sub)
}

function service(io: ToolIO, cluster: Cluster, node: string | undefined, p: Parsed): number {
  const sub = subcommand(io, SERVICE_COMMANDS, SERVICE_HELP, p)
  if (typeof sub === 'number') return sub
  refuseFlags(p, [], 'service list')
  requireAgent(cluster, node, '/service')
  const { store } = cluster
  io.stdout(formatServiceList(agentServices(store.list('Service'), store.list('Endpoints'))))
  return 0
}

function nodeList(io: ToolIO, cluster: Cluster, node: string | undefined, p: Parsed): number {
  const sub = subcommand(io, NODE_COMMANDS, NODE_HELP, p)
  if (typeof sub === 'number') return sub
  refuseFlags(p, [], 'node list')
  requireAgent(cluster, node, '/cluster/nodes')
  const { store } = cluster
  io.stdout(formatNodeList(agentNodes(store.list('CiliumNode'), clusterName(cluster))))
  return 0
}

function endpointList(io: ToolIO, cluster: Cluster, node: string | undefined, p: Parsed): number {
  const sub = subcommand(io, ENDPOINT_COMMANDS, ENDPOINT_HELP, p)
  if (typeof sub === 'number') return sub
  refuseFlags(p, ['--no-headers'], 'endpoint list')
  const { node: name } = requireAgent(cluster, node, '/endpoint')
  const { store } = cluster
  const endpoints = agentEndpoints(
    store.get('Node', undefined, name),
    store.list('Pod'),
    store.list('Namespace'),
    clusterName(cluster),
  )
  io.stdout(formatEndpointList(endpoints, !p.flags.has('--no-headers')))
  return 0
}

/**
 * The client is the binary of the agent pod the command runs in, so of the node's running agent: both print its
 * release. Without one the daemon does not respond and the client is the DaemonSet's release.
 */
function version(io: ToolIO, cluster: Cluster, node: string | undefined, p: Parsed): number {
  refuseFlags(p, [], 'version')
  let daemon: string | undefined
  try {
    daemon = agentStatus(cluster, node).ciliumVersion
  } catch (error) {
    if (!(error instanceof AgentUnreachableError)) throw error
  }
  io.stdout(formatVersion(daemon ?? ciliumConfig(cluster.store)?.version ?? '', daemon))
  return 0
}

/** The agent's cluster-name, from CiliumConfig so the CLI and the CiliumEndpoints agree on identity labels. */
const clusterName = (cluster: Cluster) => ciliumConfig(cluster.store)?.clusterName ?? 'default'

/**
 * What the real client prints when the agent does not answer, per command (cilium/cmd/{status,bgp_peer_get,
 * service_list,endpoint_list,node_list}.go): Fatalf's `Error: ` for most, pkg/client Hint's message for node list.
 */
function unreachable(io: ToolIO, command: string, error: AgentUnreachableError): number {
  if (command === 'status' || command === 'node') io.stderr(`${error.message}\nIs the agent running?\n`)
  else if (command === 'bgp') io.stderr(`Error: cannot get peers list: ${error.message}\n\n`)
  else if (command === 'endpoint') io.stderr(`Error: cannot get endpoint list: ${error.message}\n\n`)
  else io.stderr(`Error: Cannot get services list: ${error.message}\n`)
  return 1
}

/**
 * The `cilium` binary of a v1.13 agent container, answering for the agent of the node it runs on (K8S_NODE_NAME, set
 * in the agent's pod as the DaemonSet sets it): `status`, `bgp peers` and `service list` read that node's GoBGP
 * speakers and the cluster's objects; other real commands are refused with what to use instead.
 */
export const ciliumTool: ToolHandler = answeringNotEmulated(async (io, lab) => {
  const p = parse(io.argv)
  const command = p.words[0]
  if (command === undefined || command === 'help' || p.flags.has('-h') || p.flags.has('--help')) {
    throw new NotEmulatedError(
      'cilium',
      command === undefined ? '--help' : `${p.words.join(' ')} --help`,
      `The twin's agent CLI answers ${CILIUM_COMMANDS.emulated.map((c) => `cilium ${c}`).join(', ')} (bgp peers, endpoint list, node list, service list).`,
    )
  }
  refuseIfReal(CILIUM_COMMANDS, command)
  if (!CILIUM_COMMANDS.emulated.includes(command)) return { exitCode: unknownCommand(io, command) }
  for (const global of ['--config', '-H', '--host'])
    if (p.flags.has(global))
      throw new NotEmulatedError('cilium', `${command} ${global}`, 'The CLI talks to the agent of the pod it runs in.')
  p.flags.delete('-D')
  p.flags.delete('--debug')
  const cluster = clusterOf(lab)
  await cluster.settle()
  const node = io.env.K8S_NODE_NAME
  try {
    if (command === 'status') return { exitCode: await status(io, cluster, node, p) }
    if (command === 'bgp') return { exitCode: await bgp(io, cluster, node, p) }
    if (command === 'node') return { exitCode: nodeList(io, cluster, node, p) }
    if (command === 'endpoint') return { exitCode: endpointList(io, cluster, node, p) }
    if (command === 'version') return { exitCode: version(io, cluster, node, p) }
    return { exitCode: service(io, cluster, node, p) }
  } catch (error) {
    if (error instanceof AgentUnreachableError) return { exitCode: unreachable(io, command, error) }
    throw error
  }
})
