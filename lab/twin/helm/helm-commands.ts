import { CodedError } from '../../../protocol/coded-error.ts'
import { type CommandTable, NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import { FlagParseError, type FlagSpec, parseFlags } from '../daemon/pflag.ts'

const RELEASE = 'helm list shows the release; kubectl get pods -n kube-system -o wide shows what it runs.'
const CHARTS =
  'The offline twin knows one chart, cilium/cilium from https://helm.cilium.io: helm install RELEASE cilium/cilium --version V --set KEY=VALUE.'

/** helm's commands: `helm --help` of helm 3.15 (helm/helm cmd/helm/root.go newRootCmd), with cobra's `help`. */
export const HELM_COMMANDS: CommandTable = {
  tool: 'helm',
  emulated: ['repo', 'install', 'upgrade', 'uninstall', 'list', 'status', 'get', 'history', 'version', 'help'],
  notEmulated: {
    rollback:
      'Upgrade the release with the values you want: helm upgrade RELEASE CHART --reuse-values --set KEY=VALUE.',
    test: RELEASE,
    template: "helm install creates the chart's objects; kubectl get TYPE NAME -o yaml shows each.",
    show: CHARTS,
    search: CHARTS,
    pull: CHARTS,
    push: CHARTS,
    package: CHARTS,
    create: CHARTS,
    lint: CHARTS,
    dependency: CHARTS,
    verify: CHARTS,
    registry: CHARTS,
    plugin: 'The twin runs no helm plugins.',
    env: "The twin's helm keeps its repositories and releases in the lab's cluster, not in files.",
    completion: "The lab's shell does not complete helm commands.",
  },
  aliases: {
    ls: 'list',
    un: 'uninstall',
    del: 'uninstall',
    delete: 'uninstall',
    dep: 'dependency',
    dependencies: 'dependency',
    hist: 'history',
    fetch: 'pull',
    inspect: 'show',
  },
}

/** `helm repo --help` (3.15). */
export const HELM_REPO_COMMANDS: CommandTable = {
  tool: 'helm',
  emulated: ['add', 'list', 'update'],
  notEmulated: {
    remove: 'The twin keeps the repositories it was given; adding one again with the same URL changes nothing.',
    index: CHARTS,
  },
  aliases: { ls: 'list', rm: 'remove', up: 'update' },
}

/**
 * helm 3.15's flags as pflag parses them (`helm COMMAND --help`, global ones from `helm --help`); `value`: takes an
 * argument. Which command honours which is in HONOURED; a real flag elsewhere is refused by name.
 */
const FLAGS: Record<string, FlagSpec> = {
  namespace: { short: 'n', value: true },
  'kube-context': { value: true },
  kubeconfig: { value: true },
  debug: {},
  'kube-apiserver': { value: true },
  'kube-as-user': { value: true },
  'kube-as-group': { value: true },
  'kube-ca-file': { value: true },
  'kube-token': { value: true },
  'kube-insecure-skip-tls-verify': {},
  'kube-tls-server-name': { value: true },
  'burst-limit': { value: true },
  qps: { value: true },
  'registry-config': { value: true },
  'repository-cache': { value: true },
  'repository-config': { value: true },
  help: { short: 'h' },
  version: { value: true },
  set: { value: true },
  'set-string': { value: true },
  'set-file': { value: true },
  'set-json': { value: true },
  'set-literal': { value: true },
  values: { short: 'f', value: true },
  wait: {},
  'wait-for-jobs': {},
  timeout: { value: true },
  'create-namespace': {},
  atomic: {},
  'dry-run': {},
  'generate-name': { short: 'g' },
  'name-template': { value: true },
  devel: {},
  'dependency-update': {},
  description: { value: true },
  'disable-openapi-validation': {},
  force: {},
  'no-hooks': {},
  replace: {},
  'render-subchart-notes': {},
  'skip-crds': {},
  'post-renderer': { value: true },
  'post-renderer-args': { value: true },
  repo: { value: true },
  verify: {},
  keyring: { value: true },
  'ca-file': { value: true },
  'cert-file': { value: true },
  'key-file': { value: true },
  'insecure-skip-tls-verify': {},
  'pass-credentials': {},
  username: { value: true },
  password: { value: true },
  'password-stdin': {},
  'plain-http': {},
  'enable-dns': {},
  labels: { value: true },
  output: { short: 'o', value: true },
  all: { short: 'a' },
  'all-namespaces': { short: 'A' },
  date: { short: 'd' },
  deployed: {},
  failed: {},
  pending: {},
  superseded: {},
  uninstalled: {},
  uninstalling: {},
  max: { short: 'm', value: true },
  offset: { value: true },
  reverse: { short: 'r' },
  selector: { short: 'l', value: true },
  short: { short: 'q' },
  'time-format': { value: true },
  filter: { value: true },
  'no-headers': {},
  'keep-history': {},
  cascade: { value: true },
  'ignore-not-found': {},
  install: { short: 'i' },
  'reuse-values': {},
  'reset-values': {},
  'reset-then-reuse-values': {},
  'cleanup-on-fail': {},
  'history-max': { value: true },
  revision: { value: true },
  'show-desc': {},
  'show-resources': {},
  'allow-deprecated-repos': {},
  'force-update': {},
  'no-update': {},
  'fail-on-repo-update-fail': {},
  template: { value: true },
}

/** What each emulated command honours besides -n and --kube-context (`helm version --short` is `-q`-less: --short). */
const HONOURED: Record<string, string[]> = {
  install: ['version', 'set', 'set-string', 'wait', 'timeout', 'create-namespace'],
  upgrade: [
    'version',
    'set',
    'set-string',
    'wait',
    'timeout',
    'create-namespace',
    'install',
    'reuse-values',
    'reset-values',
  ],
  list: ['all-namespaces'],
  uninstall: ['wait', 'timeout'],
  status: ['revision'],
  get: ['all', 'revision'],
  history: ['max'],
  repo: [],
  version: ['short'],
  help: [],
}

/** A helm command line: positional words and flags by long name. */
export interface HelmArgs {
  positional: string[]
  flags: Map<string, string[]>
}

/** Stable error for helm's own refusals (`Error: ...`). */
export class HelmError extends CodedError<'TWIN_HELM'> {
  constructor(message: string) {
    super('TWIN_HELM', message)
  }
}

/** Parses argv like pflag over helm's flags; a flag helm does not have gets helm's `unknown flag`. */
export function parseHelmArgs(argv: string[]): HelmArgs {
  try {
    const { positional, flags, afterDash } = parseFlags(argv, FLAGS)
    return { positional: [...positional, ...(afterDash ?? [])], flags }
  } catch (error) {
    if (!(error instanceof FlagParseError)) throw error
    // A flag of a command the twin does not have (upgrade --install): the command is the answer, not the flag.
    const word = argv.find((arg) => !arg.startsWith('-'))
    if (word !== undefined) refuseIfReal(HELM_COMMANDS, word)
    throw new HelmError(error.message)
  }
}

/** Refuses the first flag `command` does not honour, by name. */
export function checkHelmFlags(command: string, args: HelmArgs): void {
  const honoured = new Set(['namespace', 'kube-context', 'help', ...(HONOURED[command] ?? [])])
  for (const name of args.flags.keys()) {
    if (honoured.has(name)) continue
    const takes = ['namespace', ...(HONOURED[command] ?? [])].map((f) => `--${f}`).join(', ')
    const hint =
      name === 'values' ? 'Give each value with --set KEY=VALUE.' : `The twin's helm ${command} takes ${takes}.`
    throw new NotEmulatedError('helm', `${command} --${name}`, hint)
  }
}
