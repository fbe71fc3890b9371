import { type Cluster, clusterOf } from '../cluster/cluster.ts'
import { SelectorError } from '../cluster/selector.ts'
import { commandName, NotEmulatedError, refuseIfReal, suggestions } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { annotate } from './annotate.ts'
import { applyFiles } from './apply.ts'
import { type Args, FlagError, findVerb, flag, flagOn, parseArgs } from './args.ts'
import { auth } from './auth.ts'
import { refuseIfApiServerStopped } from './connection-refused.ts'
import { checkFlags, KUBECTL_COMMANDS, KUBECTL_CREATE_COMMANDS } from './coverage.ts'
import { createConfigMap, createDeployment, createNamespace } from './create-commands.ts'
import { deleteCommand } from './delete.ts'
import { describe } from './describe.ts'
import { diff } from './diff.ts'
import { cordon, drain } from './drain.ts'
import { edit } from './edit.ts'
import { exec } from './exec.ts'
import { explain } from './explain/explain.ts'
import { expose } from './expose.ts'
import { get } from './get.ts'
import { commandPath, globalOptions, KUBECTL_HELP, vendoredHelp, verbHelp } from './help.ts'
import { apiResources, apiVersionsCommand, clusterInfo, config, REFUSED, version } from './info-commands.ts'
import { JsonPathError } from './jsonpath.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { logs } from './logs.ts'
import { ManifestError } from './manifest.ts'
import { label, scale, taint } from './node-commands.ts'
import { OutputError } from './output.ts'
import { patchCommand } from './patch.ts'
import { portForward } from './port-forward.ts'
import { getRaw } from './raw.ts'
import { rollout } from './rollout.ts'
import { runCommand } from './run.ts'
import { top } from './top.ts'
import { wait } from './wait.ts'

/** Commands after which the lab's controllers must reconcile. */
const CHANGING = new Set([
  'apply',
  'create',
  'delete',
  'taint',
  'cordon',
  'uncordon',
  'drain',
  'label',
  'scale',
  'patch',
  'annotate',
  'run',
  'expose',
  'edit',
])

/** A command of kubectl 1.23, emulated or not: `kubectl help WORD` asks for its help text. */
const isKubectlCommand = (word: string) =>
  KUBECTL_COMMANDS.emulated.includes(word) || Object.hasOwn(KUBECTL_COMMANDS.notEmulated, word)

/** A verb the twin does not do: the honest answer if kubectl has it, else kubectl's own unknown-command error. */
function unknownVerb(verb: string): never {
  refuseIfReal(KUBECTL_COMMANDS, verb)
  throw new KubectlError(
    `error: unknown command "${verb}" for "kubectl"${suggestions(KUBECTL_COMMANDS, verb)}\nRun 'kubectl --help' for usage.`,
  )
}

/** `kubectl create namespace|deployment|configmap NAME ...`; the other real subcommands are refused honestly. */
async function createSubcommand(cluster: Cluster, args: Args, ctx: Out & { cwd: string }): Promise<number> {
  const word = args.positional[0]
  refuseIfReal(KUBECTL_CREATE_COMMANDS, word, `create ${word}`)
  const sub = commandName(KUBECTL_CREATE_COMMANDS, word)
  if (sub === 'namespace') createNamespace(cluster, args, ctx)
  else if (sub === 'deployment') createDeployment(cluster, args, ctx)
  else if (sub === 'configmap') await createConfigMap(cluster, args, ctx, ctx.cwd)
  else
    throw new KubectlError(
      `error: Unexpected args: [${args.positional.join(' ')}]\nSee 'kubectl create -h' for help and examples`,
    )
  return 0
}

/**
 * `kubectl get --raw URI`, with get's own checks first (kubectl 1.23 pkg/cmd/get/get.go Complete and Validate): no
 * resource arguments, no -o, no watch or selector, an absolute path. An empty --raw is get's own (`--raw ''`).
 */
function rawGet(cluster: Cluster, args: Args, out: Out): Promise<number> {
  if (args.positional.length) throw new KubectlError('error: arguments may not be passed when --raw is specified')
  if (flagOn(args, 'watch') || flagOn(args, 'watch-only') || flag(args, 'selector') !== undefined)
    throw new KubectlError(
      'error: --raw may not be specified with other flags that filter the server request or alter the output',
    )
  if (flag(args, 'output') !== undefined)
    throw new KubectlError(
      "error: --raw and --output are mutually exclusive\nSee 'kubectl get -h' for help and examples",
    )
  const raw = flag(args, 'raw') ?? ''
  // url.ParseRequestURI: a path must be absolute (a full URL with a scheme passes too, and finds nothing here).
  if (!raw.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(raw))
    throw new KubectlError(
      `error: --raw must be a valid URL path: parse "${raw}": invalid URI for request\nSee 'kubectl get -h' for help and examples`,
    )
  return getRaw(cluster, raw, out)
}

/** `--context` names kind's one context; another is refused as kubectl refuses a context its kubeconfig lacks. */
function checkContext(cluster: Cluster, args: Args): void {
  const context = flag(args, 'context')
  if (context !== undefined && (!cluster.store.cluster || context !== `kind-${cluster.store.cluster.name}`)) {
    throw new KubectlError(`error: context was not found for specified context: ${context}`)
  }
}

/**
 * Runs one parsed command line. Flags may come anywhere, before the verb too (`kubectl -n kube-system get pods`),
 * as cobra parses them. Each verb's flags are checked first: one the twin does not honour is refused, never ignored.
 */
async function run(io: ToolIO, cluster: Cluster, args: Args): Promise<{ exitCode: number } | { execLocal: string[] }> {
  const ctx = { stdout: io.stdout, stderr: io.stderr, stdin: io.stdin, cwd: io.cwd }
  const { verb } = args
  const topic = verb === 'help' ? args.positional[0] : undefined
  if (topic !== undefined && isKubectlCommand(topic)) {
    io.stdout(verbHelp(`help ${topic}`, topic, args.positional.slice(1)))
    return { exitCode: 0 }
  }
  if (!verb || verb === 'help') {
    io.stdout(KUBECTL_HELP)
    return { exitCode: 0 }
  }
  if (!KUBECTL_COMMANDS.emulated.includes(verb)) unknownVerb(verb)
  if (flagOn(args, 'help')) {
    io.stdout(verbHelp(`${verb} --help`, verb, args.positional))
    return { exitCode: 0 }
  }
  checkFlags(verb, args)
  if (verb === 'options') {
    io.stdout(globalOptions(io.env.HOME))
    return { exitCode: 0 }
  }
  if (verb === 'version')
    return {
      exitCode: version(
        cluster,
        { short: flagOn(args, 'short'), client: flagOn(args, 'client'), output: flag(args, 'output') },
        ctx,
      ),
    }
  if (verb === 'config')
    return {
      exitCode: config(cluster, args.positional, { minify: flagOn(args, 'minify'), output: flag(args, 'output') }, ctx),
    }
  checkContext(cluster, args)
  if (!cluster.store.cluster) throw new KubectlError(REFUSED)
  refuseIfApiServerStopped(cluster)
  switch (verb) {
    case 'get':
      if (flag(args, 'raw')) return { exitCode: await rawGet(cluster, args, io) }
      return { exitCode: await get(cluster, args, io) }
    case 'api-versions':
      return { exitCode: apiVersionsCommand(cluster, args.positional, io) }
    case 'diff':
      return { exitCode: await diff(cluster, args, io) }
    case 'rollout':
      return { exitCode: await rollout(cluster, args, io) }
    case 'apply':
      return { exitCode: await applyFiles(cluster, args, ctx, verb) }
    case 'create':
      if (args.positional.length) return { exitCode: await createSubcommand(cluster, args, ctx) }
      // create's RunE fails, so cobra prints the error and then create's whole help (apply's is kubectl's own line).
      if (!args.flags.get('filename')?.length)
        throw new KubectlError(
          `Error: must specify one of -f and -k\n\n${vendoredHelp('create', [])!.replace(/\n$/, '')}`,
        )
      return { exitCode: await applyFiles(cluster, args, ctx, verb) }
    case 'delete':
      return { exitCode: await deleteCommand(cluster, args, ctx) }
    case 'describe':
      return { exitCode: await describe(cluster, args, ctx) }
    case 'exec':
      return exec(cluster, args, io)
    case 'logs':
      return { exitCode: await logs(cluster, args, io) }
    case 'wait':
      return { exitCode: await wait(cluster, args, io) }
    case 'port-forward':
      return portForward(cluster, args)
    case 'taint':
      return { exitCode: taint(cluster, args, ctx) }
    case 'cordon':
    case 'uncordon':
      return { exitCode: cordon(cluster, args, ctx, verb === 'cordon') }
    case 'drain':
      return { exitCode: drain(cluster, args, ctx) }
    case 'label':
      return { exitCode: label(cluster, args, ctx) }
    case 'scale':
      return { exitCode: scale(cluster, args, ctx) }
    case 'patch':
      return { exitCode: patchCommand(cluster, args, ctx) }
    case 'annotate':
      return { exitCode: annotate(cluster, args, ctx) }
    case 'top':
      return { exitCode: top(args, ctx) }
    case 'auth':
      return { exitCode: auth(cluster, args, ctx) }
    case 'edit':
      return edit(cluster, args, io)
    case 'explain':
      return { exitCode: explain(cluster, args, ctx) }
    case 'run':
      runCommand(cluster, args, ctx)
      return { exitCode: 0 }
    case 'expose':
      expose(cluster, args, ctx)
      return { exitCode: 0 }
    case 'cluster-info':
      if (args.positional[0] === 'dump')
        throw new NotEmulatedError(
          'kubectl',
          'cluster-info dump',
          "Read the objects with kubectl get all -A -o yaml, and a pod's output with kubectl logs.",
        )
      return { exitCode: clusterInfo(ctx, io.env) }
    default:
      return {
        exitCode: apiResources(
          cluster,
          {
            noHeaders: flagOn(args, 'no-headers'),
            output: flag(args, 'output'),
            namespaced: flag(args, 'namespaced'),
            apiGroup: flag(args, 'api-group'),
          },
          ctx,
        ),
      }
  }
}

/**
 * kubectl 1.23's answer to a flag it cannot parse (checked against the real binary, real-kubectl.contract.test.ts):
 * cobra's `Error: ` and where the usage is; an unknown flag before the command is taken for a plugin's
 * (NewDefaultKubectlCommand's plugin handler), which flags may not precede.
 */
function flagErrorText(error: FlagError, argv: string[]): string {
  const verb = findVerb(argv)
  const at = verb === undefined ? argv.length : argv.indexOf(verb)
  const flag = /^unknown (?:shorthand )?flag: (?:'.' in )?(\S+)$/.exec(error.message)?.[1]
  if (flag !== undefined && argv.indexOf(flag) >= 0 && argv.indexOf(flag) < at)
    return `Error: flags cannot be placed before plugin name: ${flag}\n`
  const word = argv.slice(at + 1).find((w) => !w.startsWith('-'))
  return `Error: ${error.message}\nSee '${commandPath(verb, word)} --help' for usage.\n`
}

/** `kubectl` (1.23) on the lab host: every command reads and writes the lab's object store. */
export const kubectlTool: ToolHandler = async (io, lab) => {
  const cluster = clusterOf(lab)
  try {
    let args: Args
    try {
      args = parseArgs(io.argv)
    } catch (error) {
      // A flag of a verb the twin does not have (proxy --port): the verb is the answer, not the flag.
      const verb = findVerb(io.argv)
      if (error instanceof FlagError && verb !== undefined && !KUBECTL_COMMANDS.emulated.includes(verb))
        unknownVerb(verb)
      throw error
    }
    const result = await run(io, cluster, args)
    const restarted = args.verb === 'rollout' && args.positional[0] === 'restart'
    if ('exitCode' in result && args.verb && (CHANGING.has(args.verb) || restarted)) lab.events.emit('changed')
    return result
  } catch (error) {
    if (
      error instanceof KubectlError ||
      error instanceof ManifestError ||
      error instanceof OutputError ||
      error instanceof NotEmulatedError
    )
      io.stderr(`${error.message}\n`)
    else if (error instanceof FlagError) io.stderr(flagErrorText(error, io.argv))
    else if (error instanceof SelectorError || error instanceof JsonPathError) io.stderr(`error: ${error.message}\n`)
    else throw error
    return { exitCode: 1 }
  }
}
