import type { Args } from './args.ts'
import { KubectlError, type Out } from './kubectl-error.ts'

// kubectl 1.23 pkg/cmd/top/top.go (help) and top_node.go / top_pod.go: without the metrics.k8s.io API group in
// discovery (kind installs no metrics-server), both subcommands fail with this error before asking for metrics.
const HELP = `Display Resource (CPU/Memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node        Display resource (CPU/memory) usage of nodes
  pod         Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`

const SUBCOMMANDS = new Set(['node', 'nodes', 'no', 'pod', 'pods', 'po'])

/** `kubectl top node|pod`: a kind cluster has no metrics server, so the answer is kubectl's. */
export function top(args: Args, out: Out): number {
  const sub = args.positional[0]
  if (sub === undefined || !SUBCOMMANDS.has(sub)) {
    out.stdout(HELP)
    return 0
  }
  throw new KubectlError('error: Metrics API not available')
}
