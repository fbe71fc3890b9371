import { type Cluster, clusterOf } from '../cluster/cluster.ts'
import { ciliumConfig } from '../cluster/controllers/cilium-config.ts'
import { atLeast } from '../cluster/crds.ts'
import type { KObject } from '../cluster/store.ts'
import type { TwinContext } from '../context.ts'
import { callTool } from '../daemon/call-tool.ts'
import { answeringNotEmulated, type CommandTable, NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { current } from '../helm/release-store.ts'
import { agentPeers, nodeSpeakers } from './agent-state.ts'
import type { BgpPeer } from './bgp-peers.ts'
import { ciliumTool } from './cilium-tool.ts'
import { type CliRoute, formatCliPeers, formatCliRoutes, nodeRoutes } from './cli-bgp.ts'
import { type CliStatus, formatCliStatus } from './cli-status.ts'

/** The cilium-cli release the lab host has, and the Cilium version it installs by default (cilium-cli v0.18.7). */
const CLI_VERSION = 'v0.18.7'
const DEFAULT_CILIUM = 'v1.18.1'

/** cilium-cli's commands (cilium-cli/cli/cmd.go NewCiliumCommand) that the twin does not do, with what to use instead. */
export const CILIUM_CLI_COMMANDS: CommandTable = {
  tool: 'cilium',
  emulated: ['bgp', 'status', 'version'],
  notEmulated: {
    clustermesh: 'The lab has one cluster.',
    config: "Read the agents' settings with kubectl -n kube-system get configmap cilium-config -o yaml.",
    connectivity: 'Test reachability with curl from the spines (docker exec clab-bgp-spine0 curl <address>).',
    context: 'The lab has one cluster: kubectl config current-context.',
    encrypt: 'The twin lab runs without encryption.',
    features: "Read the agents' settings with kubectl -n kube-system get configmap cilium-config -o yaml.",
    hubble: 'The twin lab runs without Hubble.',
    install: 'The course installs Cilium with helm (cilium.sh, cilium-1.18.sh).',
    multicast: 'The twin lab has no multicast.',
    sysdump: 'Use kubectl get/describe and kubectl -n kube-system logs <cilium pod>.',
    uninstall: 'Use helm uninstall cilium -n kube-system.',
    upgrade: 'The course upgrades Cilium with helm (cilium-1.18.sh).',
    completion: "The twin's cilium-cli has no shell completion.",
  },
}

const fatal = (io: ToolIO, message: string) => {
  // cilium-cli/cli/utils.go fatalf
  io.stderr(`\nError: ${message}\n`)
  return 1
}

/** The running agent pods, by node, as cilium-cli lists them (k8s-app=cilium in kube-system). */
const agentPods = (cluster: Cluster) =>
  cluster.store
    .list('Pod', 'kube-system')
    .filter((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.status?.phase === 'Running')

/**
 * Whether the agents answer `cilium bgp routes` (agent 1.14.6 and later, as cilium-cli's own help says); the twin runs
 * 1.13 agents, which lack it, and 1.18 ones, which have it.
 */
const agentsHaveRoutes = (cluster: Cluster) => atLeast(ciliumConfig(cluster.store)?.version ?? '1.13.0', 1, 15)

/**
 * What each agent pod answers to the command cilium-cli execs there for `bgp routes` (cilium-cli/bgp/routes.go
 * fetchRoutesFromPod: `cilium bgp routes ARGS -o json`), run through the pod's own agent CLI: a 1.13 agent fails on
 * the command, and cilium-cli reports its stderr per pod, joined by newlines (errors.Join).
 */
async function agentRoutesErrors(lab: TwinContext, pods: KObject[], args: string[]): Promise<string> {
  const errors: string[] = []
  for (const pod of pods) {
    const answer = await callTool(ciliumTool, lab, ['bgp', 'routes', ...args, '-o', 'json'], {
      cwd: '/',
      env: { K8S_NODE_NAME: pod.spec.nodeName },
    })
    const why =
      answer.exitCode === 0
        ? // exit 0 is the group's help (no `-o`): not the JSON cilium-cli unmarshals (Go's json error).
          `failed to unmarshal bgp routes from ${pod.metadata.name}: invalid character '${answer.stdout.trimStart()[0]}' looking for beginning of value`
        : `failed to fetch bgp state from ${pod.metadata.name}: (${answer.stderr.trim() || `command terminated with exit code ${answer.exitCode}`})`
    errors.push(why)
  }
  return errors.join('\n')
}

/**
 * What cilium-cli fills in for `bgp routes` given fewer than three words (cilium-cli/bgp/routes.go
 * defaultGetRoutesArgs): `available ipv4 unicast`, saying so on stdout first, as the real one does without `-o json`.
 */
function defaultRoutesArgs(io: ToolIO, args: string[]): string[] {
  if (args.length >= 3) return args
  const [note, filled] =
    args.length === 0
      ? ['`available ipv4 unicast` routes', ['available', 'ipv4', 'unicast']]
      : args.length === 1
        ? ['`ipv4 unicast` AFI & SAFI', [args[0], 'ipv4', 'unicast']]
        : ['`unicast` SAFI', [args[0], args[1], 'unicast']]
  io.stdout(`(Defaulting to ${note}, please see help for more options)\n\n`)
  return filled
}

async function bgp(io: ToolIO, lab: TwinContext, cluster: Cluster, words: string[]): Promise<number> {
  const pods = agentPods(cluster)
  if (words[1] === 'peers' || words[1] === 'neighbors') {
    // cilium-cli execs `cilium bgp peers -o json` in each agent pod: a 1.13.2+ agent answers it too.
    const perNode = new Map<string, BgpPeer[]>()
    const errors: string[] = []
    for (const pod of pods) {
      const peers = await agentPeers(cluster, pod.spec.nodeName)
      if (peers === null)
        errors.push(`failed to fetch bgp state from ${pod.metadata.name}: command terminated with exit code 1`)
      else perNode.set(pod.spec.nodeName, peers)
    }
    if (errors.length && perNode.size === 0) return fatal(io, `Unable to get peering status: ${errors.join('\n')}`)
    if (errors.length) io.stderr(`Errors retrieving peering state: ${errors.join('\n')}\n\n`)
    io.stdout(formatCliPeers(perNode))
    return 0
  }
  if (words[1] === 'routes') {
    const args = defaultRoutesArgs(io, words.slice(2))
    if (args[0] !== 'available' && args[0] !== 'advertised')
      return fatal(
        io,
        `Unable to get BGP routes: invalid argument: \`${args[0]}\`, expected \`available\` / \`advertised\``,
      )
    if (args[1] !== 'ipv4' || args[2] !== 'unicast' || args.length > 3)
      throw new NotEmulatedError(
        'cilium',
        `bgp routes ${args.join(' ')}`,
        'The twin lab answers the ipv4 unicast tables of every vrouter and peer.',
      )
    if (!agentsHaveRoutes(cluster))
      return fatal(io, `Unable to get BGP routes: ${await agentRoutesErrors(lab, pods, args)}`)
    const perNode = new Map<string, CliRoute[]>()
    for (const pod of pods)
      perNode.set(pod.spec.nodeName, await nodeRoutes(await nodeSpeakers(cluster, pod.spec.nodeName), args[0]))
    io.stdout(formatCliRoutes(perNode, args[0] === 'advertised', Date.now()))
    return 0
  }
  throw new NotEmulatedError(
    'cilium',
    `bgp ${words[1] ?? ''}`.trim(),
    "The twin's cilium-cli answers cilium bgp peers and cilium bgp routes <available|advertised> ipv4 unicast.",
  )
}

/**
 * cilium-cli's status collector (cilium/cilium cilium-cli/status/k8s.go): each workload's counts from its status (a
 * pod of a NotReady node is Running but not ready), an error when pods are not ready or the agent's DaemonSet is not
 * found (before Cilium is installed), the operator's Deployment "disabled" when not found, a warning per Pending pod,
 * and the pods Cilium manages: its endpoints out of every Running or Pending pod not on the host network.
 */
function status(io: ToolIO, cluster: Cluster): number {
  const { store } = cluster
  const s: CliStatus = {
    workloads: [],
    phases: {},
    images: {},
    pods: { all: 0, byCilium: 0 },
    helmChartVersion: current(cluster, 'kube-system', 'cilium')?.version ?? '',
    errors: [],
    warnings: [],
    disabled: [],
    envoy: Boolean(store.get('DaemonSet', 'kube-system', 'cilium-envoy')),
  }
  const count = (type: 'DaemonSet' | 'Deployment', name: string, labels: Record<string, string>) => {
    const owner = store.get(type, 'kube-system', name)
    if (!owner && type === 'DaemonSet')
      s.errors.push({ workload: name, pod: name, message: `daemonsets.apps "${name}" not found` })
    if (!owner && type === 'Deployment') s.disabled.push(name)
    if (owner) {
      const st = owner.status ?? {}
      const [desired, ready, available] =
        type === 'DaemonSet'
          ? [st.desiredNumberScheduled ?? 0, st.numberReady ?? 0, st.numberAvailable ?? 0]
          : [owner.spec?.replicas ?? 1, st.readyReplicas ?? 0, st.availableReplicas ?? 0]
      s.workloads.push({ type, name, desired, ready, available })
      const notReady = desired - ready
      if (notReady > 0)
        s.errors.push({ workload: name, pod: name, message: `${notReady} pods of ${type} ${name} are not ready` })
      if (desired - available - notReady > 0)
        s.warnings.push({
          workload: name,
          pod: name,
          message: `${desired - available - notReady} pods of ${type} ${name} are not available`,
        })
    }
    // The pods are listed whether or not their workload was found.
    const pods = store
      .list('Pod', 'kube-system')
      .filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v))
    const phases: Record<string, number> = {}
    for (const pod of pods) {
      const phase = pod.status?.phase ?? 'Pending'
      phases[phase] = (phases[phase] ?? 0) + 1
      if (phase === 'Pending') s.warnings.push({ workload: name, pod: pod.metadata.name, message: 'pod is pending' })
      const image = pod.spec.containers?.[0]?.image ?? ''
      s.images[name] = { ...s.images[name], [image]: (s.images[name]?.[image] ?? 0) + 1 }
    }
    s.phases[name] = phases
  }
  count('DaemonSet', 'cilium', { 'k8s-app': 'cilium' })
  count('Deployment', 'cilium-operator', { 'io.cilium/app': 'operator' })
  s.pods.all = store
    .list('Pod')
    .filter((p) => !p.spec.hostNetwork && ['Running', 'Pending'].includes(p.status?.phase ?? 'Pending')).length
  s.pods.byCilium = store.list('CiliumEndpoint').length
  io.stdout(formatCliStatus(s))
  return 0
}

function version(io: ToolIO, cluster: Cluster, clientOnly: boolean): number {
  io.stdout(
    `cilium-cli: ${CLI_VERSION} compiled with go1.24.6 on linux/amd64\ncilium image (default): ${DEFAULT_CILIUM}\n`,
  )
  // cilium-cli fetches the stable version from GitHub: the lab host is offline.
  io.stdout('cilium image (stable): unknown\n')
  if (clientOnly) return 0
  const release = current(cluster, 'kube-system', 'cilium')
  io.stdout(
    release
      ? `cilium image (running): ${release.version}\n`
      : 'cilium image (running): unknown. Unable to obtain cilium version. Reason: release: not found\n',
  )
  return 0
}

/**
 * `cilium` on the lab host: cilium-cli, which talks to the cluster (and execs in the agent pods) rather than to one
 * agent. `bgp peers`, `bgp routes`, `status` and `version` read the same speakers and objects as the agent CLI;
 * other real commands are refused with what to use instead.
 */
export const ciliumCliTool: ToolHandler = answeringNotEmulated(async (io, lab) => {
  const words = io.argv.filter((a) => !a.startsWith('-'))
  const flags = io.argv.filter((a) => a.startsWith('-'))
  const command = words[0]
  if (command === undefined || flags.some((f) => f === '-h' || f === '--help'))
    throw new NotEmulatedError(
      'cilium',
      command ? `${command} --help` : '--help',
      "The twin's cilium-cli answers cilium status, cilium version, cilium bgp peers and cilium bgp routes.",
    )
  refuseIfReal(CILIUM_CLI_COMMANDS, command)
  if (!CILIUM_CLI_COMMANDS.emulated.includes(command)) {
    io.stderr(`Error: unknown command "${command}" for "cilium"\nRun 'cilium --help' for usage.\n`)
    return { exitCode: 1 }
  }
  const allowed = command === 'version' ? ['--client'] : []
  for (const flag of flags)
    if (!allowed.includes(flag))
      throw new NotEmulatedError(
        'cilium',
        `${command} ${flag.split('=')[0]}`,
        "The twin's cilium-cli prints the summary of every node of the one cluster.",
      )
  const cluster = clusterOf(lab)
  await cluster.settle()
  if (command === 'version') return { exitCode: version(io, cluster, flags.includes('--client')) }
  if (command === 'status') return { exitCode: status(io, cluster) }
  return { exitCode: await bgp(io, lab, cluster, words) }
})
