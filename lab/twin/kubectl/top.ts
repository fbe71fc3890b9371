import type { Args } from './args.ts'
import { subcommandRun } from './help.ts'
import { KubectlError, type Out } from './kubectl-error.ts'

// kubectl 1.23 pkg/cmd/top/top_node.go / top_pod.go: without the metrics.k8s.io API group in discovery (kind installs
// no metrics-server), both subcommands fail with this error before asking for metrics.
const SUBCOMMANDS = new Set(['node', 'nodes', 'no', 'pod', 'pods', 'po'])

/** `kubectl top node|pod`: a kind cluster has no metrics server, so the answer is kubectl's. */
export function top(args: Args, out: Out): number {
  const sub = args.positional[0]
  if (sub === undefined || !SUBCOMMANDS.has(sub)) return subcommandRun('top', sub, out.stderr)
  throw new KubectlError('error: Metrics API not available')
}
