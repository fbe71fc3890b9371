import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { clusterOf, type Cluster } from '../cluster/cluster.ts'
import { parseArgs, FlagError, flagOn, type Args } from './args.ts'
import { get } from './get.ts'
import { applyFiles, deleteCommand } from './apply.ts'
import { taint, label, scale } from './node-commands.ts'
import { KubectlError } from './kubectl-error.ts'
import { ManifestError } from './manifest.ts'
import { OutputError } from './output.ts'
import { JsonPathError } from './jsonpath.ts'
import { SelectorError } from '../cluster/selector.ts'
import { describe } from './describe.ts'
import { exec, logs } from './exec.ts'
import { apiResources, clusterInfo, config, REFUSED, version } from './info-commands.ts'

const HELP = 'kubectl controls the Kubernetes cluster manager.\n\nBasic Commands: create, get, delete, apply, describe, exec, logs, label, taint, scale, cluster-info, api-resources, config, version\n'

/** Commands after which the lab's controllers must reconcile. */
const CHANGING = new Set(['apply', 'create', 'delete', 'taint', 'label', 'scale'])

/**
 * Runs one parsed command line. Flags may come anywhere, before the verb too (`kubectl -n kube-system get pods`),
 * as cobra parses them: the verb is the first positional word.
 */
async function run(io: ToolIO, cluster: Cluster, command: string | undefined, args: Args): Promise<{ exitCode: number } | { execLocal: string[] }> {
  const ctx = { stdout: io.stdout, stderr: io.stderr, stdin: io.stdin, cwd: io.cwd }
  if (command === 'version') return { exitCode: version(cluster, { short: flagOn(args, 'short'), client: flagOn(args, 'client') }, ctx) }
  if (command === 'config') return { exitCode: config(cluster, args.positional, ctx) }
  if (!command || flagOn(args, 'help')) {
    io.stdout(HELP)
    return { exitCode: 0 }
  }
  if (!cluster.store.cluster) throw new KubectlError(REFUSED)
  switch (command) {
    case 'get':
      return { exitCode: await get(cluster, args, ctx) }
    case 'apply':
    case 'create':
      return { exitCode: await applyFiles(cluster, args, ctx, command) }
    case 'delete':
      return { exitCode: await deleteCommand(cluster, args, ctx) }
    case 'describe':
      return { exitCode: await describe(cluster, args, ctx) }
    case 'exec':
      return exec(cluster, args, io)
    case 'logs':
      return { exitCode: logs(cluster, args, ctx) }
    case 'taint':
      return { exitCode: taint(cluster, args, ctx) }
    case 'label':
      return { exitCode: label(cluster, args, ctx) }
    case 'scale':
      return { exitCode: scale(cluster, args, ctx) }
    case 'cluster-info':
      return { exitCode: clusterInfo(ctx) }
    case 'api-resources':
      return { exitCode: apiResources(cluster, ctx) }
    default:
      throw new KubectlError(`error: unknown command "${command}" for "kubectl"\nRun 'kubectl --help' for usage.`)
  }
}

/** Drops --context/--kubeconfig (and their values): they name the kind cluster's context, and there is one cluster. */
function withoutContext(argv: string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--context' || argv[i] === '--kubeconfig') i++
    else if (!/^--(context|kubeconfig)=/.test(argv[i])) kept.push(argv[i])
  }
  return kept
}

/** `kubectl` (1.23) on the lab host: every command reads and writes the lab's object store. */
export const kubectlTool: ToolHandler = async (io, lab) => {
  const cluster = clusterOf(lab)
  try {
    const args = parseArgs(withoutContext(io.argv))
    const command = args.positional.shift()
    const result = await run(io, cluster, command, args)
    if ('exitCode' in result && command && CHANGING.has(command)) lab.events.emit('changed')
    return result
  } catch (error) {
    if (error instanceof KubectlError || error instanceof ManifestError || error instanceof OutputError) io.stderr(error.message + '\n')
    else if (error instanceof FlagError || error instanceof SelectorError || error instanceof JsonPathError) io.stderr(`error: ${error.message}\n`)
    else throw error
    return { exitCode: 1 }
  }
}
