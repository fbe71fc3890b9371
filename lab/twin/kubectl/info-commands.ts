import { stringify } from 'yaml'
import type { Cluster } from '../cluster/cluster.ts'
import { apiServerStopped } from '../cluster/node-power.ts'
import { apiVersionOf } from '../cluster/resources.ts'
import { commandName, NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import { API_SERVER } from '../kind/api-server.ts'
import { apiVersions, discoveredTypes } from './api-discovery.ts'
import { API_SERVER_REFUSED } from './connection-refused.ts'
import { KUBECTL_CONFIG_COMMANDS } from './coverage.ts'
import { subcommandRun, vendoredHelp } from './help.ts'
import { renderTemplate } from './jsonpath.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { sortKeys } from './output.ts'
import { tabwrite } from './tabwriter.ts'

/** Where kubectl reaches the cluster: kind's published API server, as every tool of the twin names it. */
const API_SERVER_URL = `https://${API_SERVER.address}:${API_SERVER.port}`

/** kind v1.23.4's version.Info, the client's and the server's (`kubectl version`, the API server's /version). */
export const VERSION_INFO = {
  major: '1',
  minor: '23',
  gitVersion: 'v1.23.4',
  gitCommit: 'e6c093d87ea4cbb530a7b2ae91e54c0842d8308a',
  gitTreeState: 'clean',
  buildDate: '2022-02-16T12:38:05Z',
  goVersion: 'go1.17.7',
  compiler: 'gc',
  platform: 'linux/amd64',
}

/** version.Info printed with Go's %#v-like String(): each field capitalized, values quoted. */
const VERSION = `version.Info{${Object.entries(VERSION_INFO)
  .map(([key, value]) => `${key[0].toUpperCase()}${key.slice(1)}:"${value}"`)
  .join(', ')}}`

/** What kubectl says when no cluster is there to answer (no kind cluster yet). */
export const REFUSED =
  'The connection to the server localhost:8080 was refused - did you specify the right host or port?'

/** What `kubectl version` was asked for: `--short` (just the version), `--client` (no server), `-o json|yaml`. */
export interface VersionOptions {
  short: boolean
  client: boolean
  output?: string
}

/**
 * `kubectl version [--short] [--client] [-o json|yaml]`: the client always, the server when asked and a cluster
 * answers. With -o, one document of both (pkg/cmd/version/version.go of 1.23: json.MarshalIndent with two spaces, or
 * yaml.Marshal's sorted keys then Fprintln's newline), printed with what was reached before the server's error.
 */
export function version(cluster: Cluster, options: VersionOptions, out: Out): number {
  const { short, output } = options
  if (output !== undefined && output !== 'json' && output !== 'yaml')
    throw new KubectlError("error: --output must be 'yaml' or 'json'")
  const reached = !options.client && cluster.store.cluster && !apiServerStopped(cluster.lab, cluster.store)
  if (output === undefined) {
    out.stdout(short ? 'Client Version: v1.23.4\n' : `Client Version: ${VERSION}\n`)
    if (reached) out.stdout(short ? 'Server Version: v1.23.4\n' : `Server Version: ${VERSION}\n`)
  } else {
    const versions = { clientVersion: VERSION_INFO, ...(reached ? { serverVersion: VERSION_INFO } : {}) }
    out.stdout(
      output === 'json'
        ? `${JSON.stringify(versions, null, 2)}\n`
        : `${stringify(sortKeys(versions), { schema: 'yaml-1.1' })}\n`,
    )
  }
  if (options.client || reached) return 0
  out.stderr(`${cluster.store.cluster ? API_SERVER_REFUSED : REFUSED}\n`)
  return 1
}

/**
 * `kubectl cluster-info` (cluster_info.go, 1.23): each service printed by printService, whose name and link
 * go-colortext colours green and yellow with ANSI codes written whatever stdout is, unless TERM is `dumb` (checked
 * against the real kubectl v1.23.0 binary).
 */
export function clusterInfo(out: Out, env: Record<string, string>): number {
  const color = env.TERM !== 'dumb'
  const paint = (code: string, text: string) => (color ? `\x1b[0;${code}m${text}\x1b[0m` : text)
  const service = (name: string, link: string) =>
    out.stdout(`${paint('32', name)} is running at ${paint('33', link)}\n`)
  service('Kubernetes control plane', API_SERVER_URL)
  service('CoreDNS', `${API_SERVER_URL}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`)
  out.stdout("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
  return 0
}

/** What `kubectl api-resources` was asked for: `--no-headers`, `-o name`, `--namespaced`, `--api-group`. */
export interface ApiResourcesOptions {
  noHeaders: boolean
  output: string | undefined
  namespaced: string | undefined
  apiGroup: string | undefined
}

/**
 * `kubectl api-resources`: the resources discovery serves (CRDs included), in 1.23's columns and order
 * (pkg/cmd/apiresources/apiresources.go: NAME SHORTNAMES APIVERSION NAMESPACED KIND, sorted by group then name;
 * `-o name` prints `plural.group`).
 */
export function apiResources(cluster: Cluster, options: ApiResourcesOptions, out: Out): number {
  const { output } = options
  if (output !== undefined && output !== 'name' && output !== 'wide')
    throw new KubectlError(`error: --output ${output} is not available`)
  if (output === 'wide')
    throw new NotEmulatedError(
      'kubectl',
      'api-resources -o wide',
      'kubectl api-resources lists every type; the twin does not list the verbs each accepts.',
    )
  const types = discoveredTypes(cluster.store).filter(
    (t) =>
      (options.namespaced === undefined || String(t.namespaced) === options.namespaced) &&
      (options.apiGroup === undefined || t.group === options.apiGroup),
  )
  if (output === 'name') {
    out.stdout(types.map((t) => (t.group ? `${t.plural}.${t.group}\n` : `${t.plural}\n`)).join(''))
    return 0
  }
  const rows = types.map((t) => [t.plural, t.shortNames.join(','), apiVersionOf(t), String(t.namespaced), t.kind])
  out.stdout(tabwrite(options.noHeaders ? rows : [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], ...rows]))
  return 0
}

/**
 * kind's kubeconfig for `name` as `kubectl config view` prints it: certificate data omitted, keys redacted. Fields in
 * the order of client-go's clientcmd v1 Config, NamedCluster, Cluster... structs, which `-o json` keeps (the YAML
 * printer sorts them).
 */
function kubeconfig(name: string | null): Record<string, unknown> {
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: name && [{ name, cluster: { server: API_SERVER_URL, 'certificate-authority-data': 'DATA+OMITTED' } }],
    users: name && [{ name, user: { 'client-certificate-data': 'REDACTED', 'client-key-data': 'REDACTED' } }],
    contexts: name && [{ name, context: { cluster: name, user: name } }],
    'current-context': name ?? '',
  }
}

/** The formats `kubectl config view -o` takes in 1.23 (its printer's allowed formats, as its error lists them). */
const CONFIG_FORMATS = [
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'name',
  'template',
  'templatefile',
  'yaml',
]

/**
 * `kubectl config view -o FORMAT`, as kubectl v1.23.0 prints kind's kubeconfig: json (four-space indent, struct
 * order), yaml (sorted keys), jsonpath=..., and name (`config/<unknown>`: the object has no name). The template
 * formats it also takes are refused by name.
 */
function printConfig(config: Record<string, unknown>, output: string): string {
  if (output === 'json') return `${JSON.stringify(config, null, 4)}\n`
  if (output === 'yaml') return stringify(sortKeys(config), { indentSeq: false })
  if (output === 'name') return 'config/<unknown>\n'
  const jsonpath = /^jsonpath=(.*)$/s.exec(output)
  if (jsonpath) return renderTemplate(jsonpath[1], config)
  const format = output.split('=')[0]
  if (CONFIG_FORMATS.includes(format))
    throw new NotEmulatedError('kubectl', `config view -o ${format}`, "Use -o jsonpath='{...}', -o json or -o yaml.")
  throw new KubectlError(
    `error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${CONFIG_FORMATS.join(',')}`,
  )
}

/** What `kubectl config` was asked for beyond its words: `view --minify`, `view -o json|yaml`. */
export interface ConfigOptions {
  minify: boolean
  output: string | undefined
}

/**
 * `kubectl config view` (pkg/cmd/config/view.go: yaml by default, secrets shown as DATA+OMITTED and REDACTED unless
 * --raw, which the twin has no certificates for), `current-context|get-contexts|use-context`: kind's one context,
 * `kind-<cluster>`; the rest refused.
 */
export function config(cluster: Cluster, words: string[], options: ConfigOptions, out: Out): number {
  const name = cluster.store.cluster && `kind-${cluster.store.cluster.name}`
  const [word, arg] = words
  const sub = word === undefined ? undefined : commandName(KUBECTL_CONFIG_COMMANDS, word)
  const known =
    sub !== undefined &&
    (KUBECTL_CONFIG_COMMANDS.emulated.includes(sub) || Object.hasOwn(KUBECTL_CONFIG_COMMANDS.notEmulated, sub))
  if (!known) return subcommandRun('config', word, out.stderr)
  refuseIfReal(KUBECTL_CONFIG_COMMANDS, sub, `config ${word}`)
  if (sub === 'view') {
    if (options.minify && !name) throw new KubectlError('error: current-context must exist in order to minify')
    out.stdout(printConfig(kubeconfig(name), options.output ?? 'yaml'))
  } else if (sub === 'current-context') {
    if (!name) throw new KubectlError('error: current-context is not set')
    out.stdout(`${name}\n`)
  } else if (sub === 'get-contexts') {
    out.stdout(
      tabwrite([
        ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
        ...(name ? [['*', name, name, name, '']] : []),
      ]),
    )
  } else {
    // use-context. cobra.ExactArgs(1): the command's help on stdout, then the usage error (checked against the real binary).
    if (arg === undefined) {
      out.stdout(vendoredHelp('config', ['use-context'])!)
      throw new KubectlError('error: Unexpected args: []')
    }
    if (arg !== name) throw new KubectlError(`error: no context exists with the name: "${arg}"`)
    out.stdout(`Switched to context "${name}".\n`)
  }
  return 0
}

/**
 * `kubectl api-versions`: one group/version a line (apiVersions in api-discovery.ts). It takes no arguments, and says
 * so as kubectl v1.23.0 does.
 */
export function apiVersionsCommand(cluster: Cluster, words: string[], out: Out): number {
  if (words.length)
    throw new KubectlError(
      `error: unexpected arguments: [${words.join(' ')}]\nSee 'kubectl api-versions -h' for help and examples`,
    )
  out.stdout(
    apiVersions(cluster.store)
      .map((v) => `${v}\n`)
      .join(''),
  )
  return 0
}
