import { CodedError } from '../../../protocol/coded-error.ts'
import { FlagParseError, type FlagSpec, parseFlags } from '../daemon/pflag.ts'

/**
 * kubectl's flags as pflag parses them. The table holds every flag of kubectl 1.23's verbs the twin answers for and
 * of `kubectl options` (its global flags), honoured or not: a real flag must parse like kubectl's so that the twin
 * can refuse it by name (coverage.ts says which verb honours which); anything else is kubectl's `unknown flag`.
 * `value`: takes an argument; `optional`: takes one only as `--flag=value` (pflag's NoOptDefVal, e.g. `--dry-run`).
 */
/** `kubectl options`: flags of every verb (connection, logging). */
const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  namespace: { short: 'n', value: true },
  context: { value: true },
  kubeconfig: { value: true },
  help: { short: 'h' },
  server: { short: 's', value: true },
  cluster: { value: true },
  user: { value: true },
  token: { value: true },
  as: { value: true },
  'as-group': { value: true },
  'as-uid': { value: true },
  username: { value: true },
  password: { value: true },
  'cache-dir': { value: true },
  'certificate-authority': { value: true },
  'client-certificate': { value: true },
  'client-key': { value: true },
  'insecure-skip-tls-verify': {},
  'tls-server-name': { value: true },
  'request-timeout': { value: true },
  'match-server-version': {},
  'warnings-as-errors': {},
  v: { short: 'v', value: true },
  vmodule: { value: true },
  'log-dir': { value: true },
  'log-file': { value: true },
  'log-file-max-size': { value: true },
  'log-flush-frequency': { value: true },
  'log-backtrace-at': { value: true },
  logtostderr: {},
  alsologtostderr: {},
  'add-dir-header': {},
  'skip-headers': {},
  'skip-log-headers': {},
  'one-output': {},
  stderrthreshold: { value: true },
  profile: { value: true },
  'profile-output': { value: true },
}

/** Flags of the verbs (`kubectl VERB --help`). */
const VERB_FLAGS: Record<string, FlagSpec> = {
  'all-namespaces': { short: 'A' },
  all: {},
  selector: { short: 'l', value: true },
  'field-selector': { value: true },
  filename: { short: 'f', value: true },
  kustomize: { short: 'k', value: true },
  recursive: { short: 'R' },
  output: { short: 'o', value: true },
  template: { value: true },
  'allow-missing-template-keys': {},
  'no-headers': {},
  'show-labels': {},
  'show-kind': {},
  'show-managed-fields': {},
  'label-columns': { short: 'L', value: true },
  'sort-by': { value: true },
  watch: { short: 'w' },
  'watch-only': {},
  'output-watch-events': {},
  'ignore-not-found': {},
  'chunk-size': { value: true },
  'server-print': {},
  raw: { value: true },
  subresource: { value: true },
  'show-events': {},
  'dry-run': { value: true, optional: 'unchanged' },
  cascade: { value: true, optional: 'background' },
  force: {},
  'grace-period': { value: true },
  'ignore-daemonsets': {},
  'delete-emptydir-data': {},
  'delete-local-data': {},
  'pod-selector': { value: true },
  'disable-eviction': {},
  'skip-wait-for-delete-timeout': { value: true },
  now: {},
  wait: {},
  timeout: { value: true },
  for: { value: true },
  overwrite: {},
  prune: {},
  'prune-whitelist': { value: true },
  'server-side': {},
  'field-manager': { value: true },
  'force-conflicts': {},
  validate: { value: true, optional: 'true' },
  record: {},
  'save-config': {},
  edit: {},
  'openapi-patch': {},
  'windows-line-endings': {},
  container: { short: 'c', value: true },
  stdin: { short: 'i' },
  tty: { short: 't' },
  quiet: { short: 'q' },
  'pod-running-timeout': { value: true },
  follow: {},
  previous: {},
  tail: { value: true },
  since: { value: true },
  'since-time': { value: true },
  timestamps: {},
  'all-containers': {},
  prefix: {},
  'limit-bytes': { value: true },
  'max-log-requests': { value: true },
  address: { value: true },
  'ignore-errors': {},
  list: {},
  local: {},
  'resource-version': { value: true },
  replicas: { value: true },
  'current-replicas': { value: true },
  client: {},
  short: {},
  'api-group': { value: true },
  cached: {},
  namespaced: { value: true, optional: 'true' },
  verbs: { value: true },
  // patch, create, run, expose, top, auth can-i, explain, config view (`kubectl VERB --help`, 1.23)
  patch: { short: 'p', value: true },
  'patch-file': { value: true },
  type: { value: true },
  'from-literal': { value: true },
  'from-file': { value: true },
  'from-env-file': { value: true },
  'append-hash': {},
  image: { value: true },
  port: { value: true },
  'target-port': { value: true },
  protocol: { value: true },
  name: { value: true },
  labels: { value: true },
  'cluster-ip': { value: true },
  'external-ip': { value: true },
  'load-balancer-ip': { value: true },
  'session-affinity': { value: true },
  'container-port': { value: true },
  generator: { value: true },
  restart: { value: true },
  command: {},
  env: { value: true },
  expose: {},
  rm: {},
  attach: {},
  'image-pull-policy': { value: true },
  annotations: { value: true },
  overrides: { value: true },
  'override-type': { value: true },
  privileged: {},
  serviceaccount: { value: true },
  containers: {},
  'use-protocol-buffers': {},
  'api-version': { value: true },
  minify: {},
  flatten: {},
  'output-patch': {},
  revision: { value: true },
}

const FLAGS: Record<string, FlagSpec> = { ...GLOBAL_FLAGS, ...VERB_FLAGS }

/** Whether a flag is one of kubectl's global ones (every verb has it). */
export const isGlobalFlag = (name: string) => Object.hasOwn(GLOBAL_FLAGS, name)

/** Shorthands that mean another flag in one verb: `kubectl logs -f` follows, `-p` shows the previous container. */
const VERB_SHORTS: Record<string, Record<string, string>> = {
  logs: { f: 'follow', p: 'previous' },
  run: { l: 'labels' },
  expose: { l: 'labels' },
}

function shortName(verb: string | undefined, letter: string): string | undefined {
  const special = verb ? VERB_SHORTS[verb]?.[letter] : undefined
  return special ?? Object.keys(FLAGS).find((name) => FLAGS[name].short === letter)
}

/** The parsed command line: the verb, positional words after it, flags by long name, and what followed `--`. */
export interface Args {
  verb: string | undefined
  positional: string[]
  flags: Map<string, string[]>
  afterDash: string[] | null
}

/** Stable error for a flag kubectl does not know, with kubectl's wording. */
export class FlagError extends CodedError<'TWIN_KUBECTL_FLAG'> {
  constructor(message: string) {
    super('TWIN_KUBECTL_FLAG', message)
  }
}

/** The verb, found as cobra finds the subcommand: the first word that is neither a flag nor a flag's value. */
export function findVerb(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    if (word === '--') return undefined
    if (!word.startsWith('-') || word === '-') return word
    const spec = word.startsWith('--')
      ? FLAGS[word.slice(2)]
      : /^-[a-zA-Z]$/.test(word)
        ? FLAGS[shortName(undefined, word[1]) ?? '']
        : undefined
    if (spec?.value && !spec.optional) i++
  }
  return undefined
}

/** Parses argv like pflag with the verb's flags: `-n x`, `-nx`, `--namespace=x`, `-it`, `--dry-run=client`. */
export function parseArgs(argv: string[]): Args {
  const verb = findVerb(argv)
  try {
    // `config view --raw` is a switch where `get --raw` takes a URI.
    const table = verb === 'config' ? { ...FLAGS, raw: {} } : FLAGS
    const { positional, flags, afterDash } = parseFlags(argv, table, (letter) => shortName(verb, letter))
    // The verb is the first positional word: the rest are its arguments.
    return { verb, positional: positional.slice(verb === undefined ? 0 : 1), flags, afterDash }
  } catch (error) {
    throw error instanceof FlagParseError ? new FlagError(error.message) : error
  }
}

export const flag = (args: Args, name: string) => args.flags.get(name)?.at(-1)
export const flagOn = (args: Args, name: string) => {
  const value = flag(args, name)
  return value !== undefined && value !== 'false'
}
