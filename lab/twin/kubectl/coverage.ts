import { type CommandTable, NotEmulatedError } from '../daemon/not-emulated.ts'
import { type Args, isGlobalFlag } from './args.ts'

const EDIT =
  'Read the object with kubectl get TYPE NAME -o yaml > f.yaml, change the file, then kubectl apply -f f.yaml.'
const MANIFEST = 'Write the object in a YAML manifest and kubectl apply -f it.'

/**
 * kubectl's verbs: `kubectl --help` of 1.23.4 (the seed's) and 1.27 (k8s.io/kubectl/pkg/cmd/cmd.go, the command
 * groups of NewKubectlCommand, plus cobra's `help` and `completion`).
 */
export const KUBECTL_COMMANDS: CommandTable = {
  tool: 'kubectl',
  emulated: [
    'get',
    'rollout',
    'apply',
    'create',
    'delete',
    'describe',
    'exec',
    'logs',
    'port-forward',
    'taint',
    'cordon',
    'uncordon',
    'drain',
    'label',
    'scale',
    'cluster-info',
    'api-resources',
    'config',
    'version',
    'help',
    'patch',
    'annotate',
    'run',
    'expose',
    'top',
    'auth',
    'edit',
    'explain',
    'api-versions',
    'diff',
    'wait',
    'options',
  ],
  notEmulated: {
    set: EDIT,
    replace: EDIT,
    autoscale: 'The twin does not measure load; set replicas with kubectl scale deployment NAME --replicas=N.',
    certificate: "The twin's API server has no certificates to approve.",
    attach: 'Use kubectl exec -it POD -- sh for a shell in the pod.',
    proxy: 'Read the API through kubectl get ... -o json.',
    cp: "Pods share the lab host's filesystem (only their network is separate): use the file at the same path.",
    debug: 'Use kubectl exec -it POD -- sh, or docker exec NODE ... for the node.',
    events: "kubectl get events lists the events (-w to follow them); kubectl describe shows an object's own.",
    kustomize: 'Apply the manifests with kubectl apply -f FILE.',
    completion: "The lab's shell does not complete kubectl commands.",
    alpha: 'The twin has no alpha commands.',
    plugin: 'The twin runs no kubectl plugins.',
  },
}

/** Flags every verb honours: the namespace, the one context, the one kubeconfig, help. */
const GLOBAL = ['namespace', 'context', 'kubeconfig', 'help']

/** What each emulated verb honours; every other real flag is refused by name (never silently ignored). */
const HONOURED: Record<string, string[]> = {
  get: [
    'all-namespaces',
    'selector',
    'field-selector',
    'output',
    'no-headers',
    'show-labels',
    'label-columns',
    'show-kind',
    'sort-by',
    'ignore-not-found',
    'chunk-size',
    'watch',
    'watch-only',
    'raw',
  ],
  rollout: ['watch', 'timeout', 'revision'],
  wait: ['for', 'timeout', 'all', 'selector', 'field-selector', 'all-namespaces'],
  explain: ['recursive', 'api-version'],
  describe: ['all-namespaces', 'selector', 'chunk-size'],
  delete: [
    'all',
    'all-namespaces',
    'selector',
    'field-selector',
    'filename',
    'ignore-not-found',
    'output',
    'dry-run',
    'grace-period',
    'force',
    'now',
    'wait',
    'timeout',
    'cascade',
    'chunk-size',
  ],
  apply: ['filename', 'dry-run', 'validate'],
  create: [
    'filename',
    'dry-run',
    'validate',
    'output',
    'image',
    'replicas',
    'port',
    'from-literal',
    'from-file',
    'from-env-file',
  ],
  exec: ['container', 'stdin', 'tty', 'quiet'],
  logs: ['container', 'tail', 'follow', 'since', 'selector', 'timestamps', 'previous', 'prefix', 'max-log-requests'],
  'port-forward': ['address'],
  taint: ['overwrite', 'dry-run'],
  cordon: [],
  uncordon: [],
  drain: ['ignore-daemonsets', 'delete-emptydir-data', 'force'],
  label: ['overwrite', 'dry-run'],
  scale: ['replicas', 'dry-run', 'timeout'],
  version: ['client', 'short', 'output'],
  'api-resources': ['no-headers', 'output', 'namespaced', 'api-group', 'cached'],
  'cluster-info': [],
  'api-versions': [],
  diff: ['filename'],
  options: [],
  config: ['minify', 'output'],
  help: [],
  patch: ['patch', 'type', 'dry-run', 'output'],
  annotate: ['overwrite', 'dry-run', 'list'],
  run: [
    'image',
    'port',
    'labels',
    'env',
    'restart',
    'command',
    'expose',
    'dry-run',
    'output',
    'stdin',
    'tty',
    'attach',
    'rm',
  ],
  top: ['containers', 'no-headers', 'selector', 'sort-by', 'all-namespaces', 'use-protocol-buffers'],
  auth: ['list', 'quiet', 'all-namespaces', 'subresource'],
  edit: ['output'],
  expose: [
    'port',
    'target-port',
    'protocol',
    'type',
    'name',
    'selector',
    'labels',
    'load-balancer-ip',
    'external-ip',
    'dry-run',
    'output',
  ],
}

/** Hints for the flags learners reach for most; the rest get the list of what the verb honours. */
const FLAG_HINTS: Record<string, string> = {
  kustomize: 'Apply the manifests with kubectl apply -f FILE.',
  recursive: 'Name each file with -f.',
  'server-side': 'Client-side kubectl apply -f gives the same objects.',
  prune: 'Delete what a manifest no longer holds with kubectl delete TYPE NAME.',
}

const ONE_CLUSTER = 'The twin has one cluster; kubectl reaches it with no connection or logging flags.'

/** Refuses, by name, the first flag that `verb` does not honour in the twin. */
export function checkFlags(verb: string, args: Args): void {
  const honoured = new Set([...GLOBAL, ...(HONOURED[verb] ?? [])])
  for (const name of args.flags.keys()) {
    if (honoured.has(name)) continue
    const takes = ['namespace', ...(HONOURED[verb] ?? [])].map((f) => `--${f}`).join(', ')
    const hint = FLAG_HINTS[name] ?? (isGlobalFlag(name) ? ONE_CLUSTER : `The twin's kubectl ${verb} takes ${takes}.`)
    throw new NotEmulatedError('kubectl', `${verb} --${name}`, hint)
  }
}

/** `kubectl create --help` (1.23; `token` from 1.24): what create makes without a manifest. */
export const KUBECTL_CREATE_COMMANDS: CommandTable = {
  tool: 'kubectl',
  emulated: ['configmap', 'deployment', 'namespace'],
  notEmulated: Object.fromEntries(
    [
      'clusterrole',
      'clusterrolebinding',
      'cronjob',
      'ingress',
      'job',
      'poddisruptionbudget',
      'priorityclass',
      'quota',
      'role',
      'rolebinding',
      'secret',
      'service',
      'serviceaccount',
      'token',
    ].map((name) => [name, MANIFEST]),
  ),
  aliases: {
    cm: 'configmap',
    cj: 'cronjob',
    deploy: 'deployment',
    ing: 'ingress',
    ns: 'namespace',
    pdb: 'poddisruptionbudget',
    pc: 'priorityclass',
    resourcequota: 'quota',
    svc: 'service',
    sa: 'serviceaccount',
  },
}

const ONE_CONTEXT =
  'The twin has one cluster and one context, kind-<cluster>: kubectl config view, current-context, get-contexts and use-context work.'

/** `kubectl config --help` (1.23): the kubeconfig commands. */
export const KUBECTL_CONFIG_COMMANDS: CommandTable = {
  tool: 'kubectl',
  emulated: ['current-context', 'get-contexts', 'use-context', 'view'],
  notEmulated: Object.fromEntries(
    [
      'delete-cluster',
      'delete-context',
      'delete-user',
      'get-clusters',
      'get-users',
      'rename-context',
      'set',
      'set-cluster',
      'set-context',
      'set-credentials',
      'unset',
    ].map((name) => [name, ONE_CONTEXT]),
  ),
  aliases: { use: 'use-context' },
}
