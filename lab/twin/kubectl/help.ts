import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandName, NotEmulatedError } from '../daemon/not-emulated.ts'
import { KUBECTL_CONFIG_COMMANDS, KUBECTL_CREATE_COMMANDS } from './coverage.ts'
import { KubectlError } from './kubectl-error.ts'

/**
 * kubectl 1.23's command groups, in order: NewKubectlCommand in k8s.io/kubectl pkg/cmd/cmd.go (kubernetes/kubectl at
 * 10504c18, the 1.2x line with `debug` among the troubleshooting commands and the kubectl/overview/ address), then
 * cobra's "Other Commands:" (the ones added with cmds.AddCommand, sorted; `options` filtered out, `alpha` shown since
 * 1.23 has `alpha events`). Each text is the command's Short. The stored copies of the command sources are not
 * tagged, so every Short was checked against the help a v1.23.0 kubectl prints; where 1.22 differs (`completion`
 * without fish, no `alpha`), 1.23's is kept.
 */
const GROUPS: readonly (readonly [string, readonly (readonly [string, string])[]])[] = [
  [
    'Basic Commands (Beginner):',
    [
      ['create', 'Create a resource from a file or from stdin'],
      ['expose', 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service'],
      ['run', 'Run a particular image on the cluster'],
      ['set', 'Set specific features on objects'],
    ],
  ],
  [
    'Basic Commands (Intermediate):',
    [
      ['explain', 'Get documentation for a resource'],
      ['get', 'Display one or many resources'],
      ['edit', 'Edit a resource on the server'],
      ['delete', 'Delete resources by file names, stdin, resources and names, or by resources and label selector'],
    ],
  ],
  [
    'Deploy Commands:',
    [
      ['rollout', 'Manage the rollout of a resource'],
      ['scale', 'Set a new size for a deployment, replica set, or replication controller'],
      ['autoscale', 'Auto-scale a deployment, replica set, stateful set, or replication controller'],
    ],
  ],
  [
    'Cluster Management Commands:',
    [
      ['certificate', 'Modify certificate resources.'],
      ['cluster-info', 'Display cluster information'],
      ['top', 'Display resource (CPU/memory) usage'],
      ['cordon', 'Mark node as unschedulable'],
      ['uncordon', 'Mark node as schedulable'],
      ['drain', 'Drain node in preparation for maintenance'],
      ['taint', 'Update the taints on one or more nodes'],
    ],
  ],
  [
    'Troubleshooting and Debugging Commands:',
    [
      ['describe', 'Show details of a specific resource or group of resources'],
      ['logs', 'Print the logs for a container in a pod'],
      ['attach', 'Attach to a running container'],
      ['exec', 'Execute a command in a container'],
      ['port-forward', 'Forward one or more local ports to a pod'],
      ['proxy', 'Run a proxy to the Kubernetes API server'],
      ['cp', 'Copy files and directories to and from containers'],
      ['auth', 'Inspect authorization'],
      ['debug', 'Create debugging sessions for troubleshooting workloads and nodes'],
    ],
  ],
  [
    'Advanced Commands:',
    [
      ['diff', 'Diff the live version against a would-be applied version'],
      ['apply', 'Apply a configuration to a resource by file name or stdin'],
      ['patch', 'Update fields of a resource'],
      ['replace', 'Replace a resource by file name or stdin'],
      ['wait', 'Experimental: Wait for a specific condition on one or many resources'],
      ['kustomize', 'Build a kustomization target from a directory or URL.'],
    ],
  ],
  [
    'Settings Commands:',
    [
      ['label', 'Update the labels on a resource'],
      ['annotate', 'Update the annotations on a resource'],
      ['completion', 'Output shell completion code for the specified shell (bash, zsh or fish)'],
    ],
  ],
  [
    'Other Commands:',
    [
      ['alpha', 'Commands for features in alpha'],
      ['api-resources', 'Print the supported API resources on the server'],
      ['api-versions', 'Print the supported API versions on the server, in the form of "group/version"'],
      ['config', 'Modify kubeconfig files'],
      ['plugin', 'Provides utilities for interacting with plugins'],
      ['version', 'Print the client and server version information'],
    ],
  ],
]

// cobra pads every name to the longest among the root's commands (NamePadding), here `api-resources`.
const PADDING = Math.max(...GROUPS.flatMap(([, commands]) => commands.map(([name]) => name.length)))

/**
 * `kubectl`, `kubectl help` and `kubectl --help` of 1.23, laid out as kubectl's templater does (pkg/util/templates:
 * MainHelpTemplate, then MainUsageTemplate's command groups, usage line and tips). The Long's indented second line
 * keeps the leading space that LongDesc's rendering leaves there.
 */
export const KUBECTL_HELP = [
  'kubectl controls the Kubernetes cluster manager.',
  '',
  ' Find more information at: https://kubernetes.io/docs/reference/kubectl/overview/',
  '',
  GROUPS.map(([title, commands]) =>
    [title, ...commands.map(([name, short]) => `  ${name.padEnd(PADDING)} ${short}`)].join('\n'),
  ).join('\n\n'),
  '',
  'Usage:',
  '  kubectl [flags] [options]',
  '',
  'Use "kubectl <command> --help" for more information about a given command.',
  'Use "kubectl options" for a list of global command-line options (applies to all commands).',
  '',
].join('\n')

/** kubectl 1.23's own help texts, one file a command (help/PROVENANCE.md says where each comes from). */
const HELP_DIR = join(dirname(fileURLToPath(import.meta.url)), 'help')

/** The aliases of the subcommands whose help is vendored (`kubectl top pods`, `create deploy`, `config use`). */
function subcommandName(verb: string, word: string): string {
  if (verb === 'create') return commandName(KUBECTL_CREATE_COMMANDS, word)
  if (verb === 'config') return commandName(KUBECTL_CONFIG_COMMANDS, word)
  if (verb === 'top') return { nodes: 'node', no: 'node', pods: 'pod', po: 'pod' }[word] ?? word
  return word
}

/** Groups whose own subcommands have no vendored text: their help is not the group's (`create secret generic`). */
const NESTED: Record<string, readonly string[]> = {
  'create-secret': ['docker-registry', 'generic', 'tls'],
  'create-service': ['clusterip', 'externalname', 'loadbalancer', 'nodeport'],
}

const read = (name: string) => {
  const file = join(HELP_DIR, `${name}.txt`)
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}

/**
 * The text of `kubectl VERB [WORDS...] --help` (and `-h`, `kubectl help VERB [WORDS...]`, which print the same): the
 * subcommand's own when the first word names one (`rollout status`), else the verb's, as cobra finds the command
 * before it prints its help (`get pods --help` is get's). Undefined where the twin vendors no text.
 */
export function vendoredHelp(verb: string, words: readonly string[]): string | undefined {
  const [word, next] = words
  if (word !== undefined) {
    const sub = `${verb}-${subcommandName(verb, word)}`
    if (next !== undefined && NESTED[sub]?.includes(next)) return undefined
    const text = read(sub)
    if (text !== undefined) return text
  }
  return read(verb)
}

/**
 * `kubectl options` of 1.23 (its OptionsUsageTemplate: the flags every command takes). The one default that depends on
 * who runs it, `--cache-dir`, is `$HOME/.kube/cache` as kubectl computes it; the vendored text has root's.
 */
export function globalOptions(home = '/root'): string {
  return read('global-options')!.replace("--cache-dir='/root/.kube/cache'", `--cache-dir='${home}/.kube/cache'`)
}

/**
 * `kubectl VERB --help` (or `kubectl help VERB`): kubectl 1.23's own text, printed unwrapped as kubectl prints it when
 * its output is not a terminal (the twin's shim does not pass the terminal's width); where none is vendored, the
 * honest answer, naming where 1.23's text is, never the global help in its place.
 * @param what as the learner typed it, after `kubectl` (`get --help`, `help get`)
 * @param verb the command
 * @param words what followed the command (a subcommand, or arguments)
 */
export function verbHelp(what: string, verb: string, words: readonly string[]): string {
  const text = vendoredHelp(verb, words)
  if (text !== undefined) return text
  throw new NotEmulatedError(
    'kubectl',
    what,
    `kubectl's reference for 1.23: https://v1-23.docs.kubernetes.io/docs/reference/generated/kubectl/kubectl-commands#${verb}`,
  )
}

/**
 * cobra's CommandPath for `kubectl VERB [WORD]`: the subcommand's, by its name, when WORD names one whose help is
 * vendored (`kubectl create deployment` for `create deploy`), else the verb's; `kubectl` without a verb.
 */
export function commandPath(verb: string | undefined, word: string | undefined): string {
  if (verb === undefined) return 'kubectl'
  const sub = word === undefined ? undefined : subcommandName(verb, word)
  return sub !== undefined && read(`${verb}-${sub}`) !== undefined ? `kubectl ${verb} ${sub}` : `kubectl ${verb}`
}

/**
 * A command group given no subcommand or a word that names none (kubectl 1.23 cmdutil.DefaultSubCommandRun): its
 * help, on the stream the group writes it to (rollout: stdout; auth, config, top: stderr), and exit 1; an unknown word is a
 * usage error. Checked against the real binary (real-kubectl.contract.test.ts).
 */
export function subcommandRun(verb: string, word: string | undefined, write: (text: string) => void): number {
  if (word !== undefined)
    throw new KubectlError(`error: unknown command "${word}"\nSee 'kubectl ${verb} -h' for help and examples`)
  write(read(verb)!)
  return 1
}
