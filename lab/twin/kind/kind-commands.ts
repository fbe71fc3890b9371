import { CodedError } from '../../../protocol/coded-error.ts'
import { type CommandTable, NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import { FlagParseError, type FlagSpec, parseFlags } from '../daemon/pflag.ts'

const IMAGES = "The twin runs no images: its nodes are network namespaces, and pods run from this machine's tools."
const KUBECONFIG =
  "The twin has one cluster, reached by kubectl and helm without a kubeconfig file: kind get kubeconfig prints kind's, kubectl config current-context names it."

/** kind 0.18's commands (`kind --help`, sigs.k8s.io/kind pkg/cmd/kind/root.go). */
export const KIND_COMMANDS: CommandTable = {
  tool: 'kind',
  emulated: ['create', 'delete', 'get', 'export', 'version', 'help'],
  notEmulated: {
    build: IMAGES,
    load: IMAGES,
    completion: "The lab's shell does not complete kind commands.",
  },
}

/** The nouns under each verb (`kind VERB --help`), emulated or not. */
export const KIND_NOUNS: Record<string, CommandTable> = {
  create: { tool: 'kind', emulated: ['cluster'], notEmulated: {} },
  delete: {
    tool: 'kind',
    emulated: ['cluster'],
    notEmulated: { clusters: 'The twin holds one cluster: kind delete cluster --name NAME.' },
  },
  get: { tool: 'kind', emulated: ['clusters', 'nodes', 'kubeconfig'], notEmulated: {} },
  export: {
    tool: 'kind',
    emulated: ['logs'],
    notEmulated: {
      kubeconfig:
        "The twin's kubectl needs no kubeconfig file: kind get kubeconfig prints kind's, to save where you want it.",
    },
  },
}

/** kind 0.18's flags (global `-v`, `-q`, and those of each command); `value`: takes an argument. */
const FLAGS: Record<string, FlagSpec> = {
  help: { short: 'h' },
  verbosity: { short: 'v', value: true },
  quiet: { short: 'q' },
  loglevel: { value: true },
  name: { short: 'n', value: true },
  config: { value: true },
  image: { value: true },
  kubeconfig: { value: true },
  retain: {},
  wait: { value: true },
  all: {},
  'all-clusters': { short: 'A' },
  internal: {},
}

/**
 * What each command honours. `create cluster --wait`: the twin returns once the cluster's controllers have caught
 * up, so any wait is already met.
 */
const HONOURED: Record<string, string[]> = {
  'create cluster': ['name', 'config', 'image', 'wait'],
  'delete cluster': ['name'],
  'get clusters': [],
  'get nodes': ['name'],
  'get kubeconfig': ['name', 'internal'],
  'export logs': ['name'],
  version: [],
}

/** A kind command line: positional words and flags by long name. */
export interface KindArgs {
  positional: string[]
  flags: Map<string, string>
}

/** kind's own refusals, printed as `ERROR: ...`. */
export class KindError extends CodedError<'TWIN_KIND'> {
  constructor(message: string) {
    super('TWIN_KIND', message)
  }
}

/** Parses argv like pflag over kind's flags; one kind does not have is kind's `unknown flag`. */
export function parseKindArgs(argv: string[]): KindArgs {
  try {
    const { positional, flags, afterDash } = parseFlags(argv, FLAGS)
    return {
      positional: [...positional, ...(afterDash ?? [])],
      flags: new Map([...flags].map(([name, values]) => [name, values.at(-1)!])),
    }
  } catch (error) {
    if (!(error instanceof FlagParseError)) throw error
    // A flag of a command the twin does not have (load docker-image --nodes): the command is the answer.
    const word = argv.find((arg) => !arg.startsWith('-'))
    if (word !== undefined) refuseIfReal(KIND_COMMANDS, word)
    throw new KindError(error.message)
  }
}

/** Refuses the first flag `command` (`create cluster`) does not honour, by name. */
export function checkKindFlags(command: string, args: KindArgs): void {
  const honoured = new Set(['help', ...(HONOURED[command] ?? [])])
  for (const name of args.flags.keys()) {
    if (honoured.has(name)) continue
    const takes = (HONOURED[command] ?? []).map((f) => `--${f}`).join(', ') || 'no flags'
    const hint = name === 'kubeconfig' ? KUBECONFIG : `The twin's kind ${command} takes ${takes}.`
    throw new NotEmulatedError('kind', `${command} --${name}`, hint)
  }
}
