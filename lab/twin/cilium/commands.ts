import type { CommandTable } from '../daemon/not-emulated.ts'

/**
 * The v1.13 agent CLI's commands (cilium/cmd/*.go on the v1.13 branch, one file per command; `bgp` since v1.13.2,
 * the backport of cilium/cilium PR 24612). The 1.13 binary is `cilium`; `cilium-dbg` is its 1.15 rename.
 */
export const CILIUM_COMMANDS: CommandTable = {
  tool: 'cilium',
  emulated: ['bgp', 'endpoint', 'node', 'service', 'status', 'version'],
  notEmulated: {
    bpf: "The twin has no BPF datapath: see the node's routes with docker exec <node> ip route, and the services with cilium service list.",
    cleanup: 'Delete the agent pod instead (kubectl -n kube-system delete pod <pod>): the DaemonSet starts a new one.',
    completion: "The twin's agent CLI has no shell completion.",
    config: "Read the agent's settings with kubectl -n kube-system get configmap cilium-config -o yaml.",
    debuginfo: 'Use cilium status --verbose, cilium bgp peers and kubectl -n kube-system logs <pod>.',
    encrypt: 'The twin lab runs without encryption.',
    fqdn: 'The twin has no FQDN policies.',
    identity:
      "The twin keeps no identity store: cilium endpoint list shows each of this node's endpoints with its identity and labels.",
    ip: "The twin has no IP cache: cilium endpoint list shows this node's pod addresses, kubectl get pods -A -o wide every pod's.",
    kvstore: 'The twin lab runs without a kvstore (CRD mode).',
    lrp: 'The twin has no local redirect policies.',
    map: 'The twin has no BPF maps.',
    metrics: 'The twin exports no metrics.',
    monitor: 'Capture packets with docker exec <node> tcpdump -ni <interface>.',
    nodeid: 'The twin has no node IDs.',
    policy: 'The twin has no network policies.',
    prefilter: 'The twin has no XDP prefilter.',
    preflight: 'Preflight checks belong to upgrades, which the twin does not do.',
    recorder: 'Capture packets with docker exec <node> tcpdump -ni <interface>.',
  },
}

/** `cilium service` subcommands (cilium/cmd/service_*.go); `ls` is list's alias. */
export const SERVICE_COMMANDS: CommandTable = {
  tool: 'cilium',
  emulated: ['list'],
  notEmulated: {
    get: 'cilium service list shows every service with its backends.',
    update: 'Change the Service with kubectl; the agent follows it.',
    delete: 'Delete the Service with kubectl; the agent follows it.',
  },
  aliases: { ls: 'list' },
}

/** `cilium endpoint` subcommands (cilium/cmd/endpoint_*.go); `ls` is list's alias. */
export const ENDPOINT_COMMANDS: CommandTable = {
  tool: 'cilium',
  emulated: ['list'],
  notEmulated: {
    config: 'The twin has no per-endpoint datapath options.',
    disconnect: 'Delete the pod with kubectl instead.',
    get: 'cilium endpoint list shows each endpoint; kubectl get pod <pod> -o yaml shows the rest.',
    health: 'The twin runs no endpoint health checks: kubectl get pods -o wide shows whether a pod is ready.',
    labels: "Change the pod's labels with kubectl label pod; the agent follows them.",
    log: 'The twin keeps no endpoint status log: see kubectl -n kube-system logs <agent pod>.',
    regenerate: 'The twin has no BPF programs to regenerate.',
  },
  aliases: { ls: 'list' },
}

/** `cilium node` subcommands (cilium/cmd/node_list.go is the only one in 1.13); `ls` is list's alias. */
export const NODE_COMMANDS: CommandTable = {
  tool: 'cilium',
  emulated: ['list'],
  notEmulated: {},
  aliases: { ls: 'list' },
}

const GLOBAL_FLAGS = [
  '      --config string   config file (default is $HOME/.cilium.yaml)',
  '  -D, --debug           Enable debug messages',
  '  -H, --host string     URI to server-side API',
].join('\n')

/**
 * cobra's help of a command with subcommands and no Run (`cilium bgp`, `cilium service`), which cobra prints, exit 0,
 * when such a command gets no or an unknown subcommand: only the root reports unknown commands (cobra legacyArgs).
 */
export function groupHelp(name: string, short: string, subcommands: [string, string][]): string {
  return [
    `${short}\n`,
    'Usage:',
    `  cilium ${name} [command]\n`,
    'Available Commands:',
    ...subcommands.map(([sub, text]) => `  ${sub.padEnd(11)} ${text}`),
    '',
    'Flags:',
    `  -h, --help   help for ${name}\n`,
    'Global Flags:',
    `${GLOBAL_FLAGS}\n`,
    `Use "cilium ${name} [command] --help" for more information about a command.\n`,
  ].join('\n')
}

/** cilium/cmd/bgp.go and bgp_peer_get.go. */
export const BGP_HELP = groupHelp('bgp', 'Access to BGP control plane', [['peers', 'List current state of all peers']])
/** cilium/cmd/service.go and service_{delete,get,list,update}.go. */
export const SERVICE_HELP = groupHelp('service', 'Manage services & loadbalancers', [
  ['delete', 'Delete a service'],
  ['get', 'Display service information'],
  ['list', 'List services'],
  ['update', 'Update a service'],
])
/** cilium/cmd/endpoint.go and endpoint_*.go. */
export const ENDPOINT_HELP = groupHelp('endpoint', 'Manage endpoints', [
  ['config', 'View & modify endpoint configuration'],
  ['disconnect', 'Disconnect an endpoint from the network'],
  ['get', 'Display endpoint information'],
  ['health', 'View endpoint health'],
  ['labels', 'Manage label configuration of endpoint'],
  ['list', 'List all endpoints'],
  ['log', 'View endpoint status log'],
  ['regenerate', 'Force regeneration of endpoint program'],
])
/** cilium/cmd/node.go and node_list.go. */
export const NODE_HELP = groupHelp('node', 'Manage cluster nodes', [['list', 'List nodes']])
