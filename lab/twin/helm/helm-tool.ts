import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { clusterOf, type Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { findType } from '../cluster/resources.ts'
import { deleteObject } from '../kubectl/apply.ts'
import { parseSet } from './values.ts'
import { ciliumObjects, CILIUM_VERSIONS } from './cilium-chart.ts'

/** Charts the offline lab can install, by repository URL. */
const CHARTS: Record<string, Record<string, { versions: string[]; appVersion: (v: string) => string; objects: typeof ciliumObjects }>> = {
  'https://helm.cilium.io': { cilium: { versions: CILIUM_VERSIONS, appVersion: v => v, objects: ciliumObjects } },
}

class HelmError extends Error {
  readonly code = 'TWIN_HELM'
}

interface Release {
  name: string
  namespace: string
  chart: string
  version: string
  appVersion: string
  revision: number
  updated: string
  status: 'deployed'
  values: Record<string, unknown>
  objects: { kind: string; namespace?: string; name: string }[]
}

/** helm 3 keeps a release in a Secret of type helm.sh/release.v1 in the release's namespace; so does the lab. */
const releaseSecret = (r: Release): KObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'helm.sh/release.v1',
  metadata: { name: `sh.helm.release.v1.${r.name}.v${r.revision}`, namespace: r.namespace, labels: { name: r.name, owner: 'helm', status: r.status, version: String(r.revision) } },
  data: { release: Buffer.from(JSON.stringify(r)).toString('base64') },
})

const releases = (cluster: Cluster): Release[] =>
  cluster.store
    .list('Secret')
    .filter(s => s.type === 'helm.sh/release.v1')
    .map(s => JSON.parse(Buffer.from(s.data.release, 'base64').toString()) as Release)

/** Values of `--flag v`, `--flag=v`, in order. */
function options(argv: string[], ...names: string[]): string[] {
  const found: string[] = []
  for (let i = 0; i < argv.length; i++) {
    for (const name of names) {
      if (argv[i] === name) found.push(argv[++i])
      else if (argv[i].startsWith(`${name}=`)) found.push(argv[i].slice(name.length + 1))
    }
  }
  return found
}

function positionals(argv: string[]): string[] {
  const withValue = new Set(['--version', '--namespace', '-n', '--set', '--set-string', '-f', '--values', '--kube-context', '--timeout'])
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (withValue.has(argv[i])) i++
    else if (!argv[i].startsWith('-')) out.push(argv[i])
  }
  return out
}

function install(io: ToolIO, cluster: Cluster, name: string | undefined, chartRef: string | undefined): void {
  if (!name || !chartRef) throw new HelmError(`INSTALLATION FAILED: must either provide a name or specify --generate-name`)
  if (!cluster.store.cluster) throw new HelmError('INSTALLATION FAILED: Kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp 127.0.0.1:8080: connect: connection refused')
  const namespace = options(io.argv, '--namespace', '-n').at(-1) ?? 'default'
  const [repo, chartName] = chartRef.split('/')
  const url = cluster.store.helmRepos[repo]
  if (!chartName || !url) throw new HelmError(`INSTALLATION FAILED: repo ${repo} not found`)
  const chart = CHARTS[url]?.[chartName]
  const version = options(io.argv, '--version').at(-1) ?? chart?.versions.at(-1)
  if (!chart || !version || !chart.versions.includes(version)) {
    throw new HelmError(`INSTALLATION FAILED: chart "${chartName}" matching ${version ?? ''} not found in ${repo} index. (try 'helm repo update'): no chart version found for ${chartName}-${version ?? ''}`)
  }
  if (releases(cluster).some(r => r.name === name)) throw new HelmError('INSTALLATION FAILED: cannot re-use a name that is still in use')
  if (!cluster.store.get('Namespace', undefined, namespace)) throw new HelmError(`INSTALLATION FAILED: create: failed to create: namespaces "${namespace}" not found`)
  let values: Record<string, unknown>
  try {
    values = parseSet(options(io.argv, '--set', '--set-string'))
  } catch (error) {
    throw new HelmError((error as Error).message)
  }
  const objects = chart.objects(namespace, version, values)
  for (const object of objects) {
    const type = findType(cluster.store, object.kind)!
    if (cluster.store.get(object.kind, type.namespaced ? namespace : undefined, object.metadata.name)) {
      throw new HelmError(`INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: ${object.kind} "${object.metadata.name}" in namespace "${namespace}" exists and cannot be imported into the current release`)
    }
  }
  const updated = new Date()
  const release: Release = {
    name,
    namespace,
    chart: chartName,
    version,
    appVersion: chart.appVersion(version),
    revision: 1,
    updated: updated.toISOString(),
    status: 'deployed',
    values,
    objects: objects.map(o => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })),
  }
  for (const object of objects) cluster.store.create(object)
  cluster.store.create(releaseSecret(release))
  io.stdout(
    `NAME: ${name}\nLAST DEPLOYED: ${updated.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 $4')}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\n` +
      `You have successfully installed Cilium with Hubble.\n\nYour release version is ${version}.\n\nFor any further help, visit https://docs.cilium.io/en/v${version.split('.').slice(0, 2).join('.')}/gettinghelp\n`,
  )
}

/** helm's table layout (gosuri/uitable): cells padded to the column width, joined by a tab. */
const uitable = (rows: string[][]) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)))
  return rows.map(r => r.map((cell, c) => cell.padEnd(widths[c])).join('\t') + '\n').join('')
}

function list(io: ToolIO, cluster: Cluster): void {
  const all = io.argv.includes('-A') || io.argv.includes('--all-namespaces')
  const namespace = options(io.argv, '--namespace', '-n').at(-1) ?? 'default'
  const rows = releases(cluster)
    .filter(r => all || r.namespace === namespace)
    .map(r => [r.name, r.namespace, String(r.revision), r.updated.replace('T', ' ').replace(/\.(\d+)Z$/, '.$1 +0000 UTC'), r.status, `${r.chart}-${r.version}`, r.appVersion])
  io.stdout(uitable([['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION'], ...rows]))
}

function uninstall(io: ToolIO, cluster: Cluster, name: string | undefined): void {
  const release = releases(cluster).find(r => r.name === name)
  if (!release) throw new HelmError(`uninstall: Release not loaded: ${name}: release: not found`)
  for (const ref of release.objects) deleteObject(cluster, findType(cluster.store, ref.kind)!, ref.namespace, ref.name)
  cluster.store.delete('Secret', release.namespace, releaseSecret(release).metadata.name)
  io.stdout(`release "${name}" uninstalled\n`)
}

function repo(io: ToolIO, cluster: Cluster, sub: string | undefined, args: string[]): void {
  const repos = cluster.store.helmRepos
  if (sub === 'add') {
    const [name, url] = args
    if (!name || !url) throw new HelmError('"helm repo add" requires 2 arguments')
    if (repos[name] === url) return io.stdout(`"${name}" already exists with the same configuration, skipping\n`)
    if (!CHARTS[url.replace(/\/$/, '')]) throw new HelmError(`looks like "${url}" is not a valid chart repository or cannot be reached: the lab is offline and knows https://helm.cilium.io only`)
    cluster.store.setHelmRepo(name, url.replace(/\/$/, ''))
    io.stdout(`"${name}" has been added to your repositories\n`)
  } else if (sub === 'update') {
    const names = Object.keys(repos)
    if (names.length === 0) throw new HelmError('no repositories found. You must add one before updating')
    io.stdout('Hang tight while we grab the latest from your chart repositories...\n')
    for (const name of names) io.stdout(`...Successfully got an update from the "${name}" chart repository\n`)
    io.stdout('Update Complete. ⎈Happy Helming!⎈\n')
  } else if (sub === 'list') {
    const names = Object.keys(repos)
    if (names.length === 0) throw new HelmError('no repositories to show')
    io.stdout(uitable([['NAME', 'URL'], ...names.map(n => [n, repos[n]])]))
  } else throw new HelmError(`unknown command "${sub}" for "helm repo"`)
}

const HELM_VERSION = 'v3.15.0-rc.2'
const HELM_COMMIT = 'c4e37b39dbb341cb3f716220df9f9d306d123a58'

/** `helm version [--short]`: the seed's helm; --short is `<version>+g<7 hex of the commit>` like helm prints it. */
function helmVersion(short: boolean): string {
  if (short) return `${HELM_VERSION}+g${HELM_COMMIT.slice(0, 7)}\n`
  return `version.BuildInfo{Version:"${HELM_VERSION}", GitCommit:"${HELM_COMMIT}", GitTreeState:"clean", GoVersion:"go1.22.3"}\n`
}

/** `helm` 3 on the lab host: repositories, install/list/uninstall of the charts the offline lab knows (Cilium). */
export const helmTool: ToolHandler = async (io, lab) => {
  const cluster = clusterOf(lab)
  const [command, ...rest] = positionals(io.argv)
  try {
    if (command === 'repo') repo(io, cluster, rest[0], rest.slice(1))
    else if (command === 'install') install(io, cluster, rest[0], rest[1])
    else if (command === 'list' || command === 'ls') list(io, cluster)
    else if (command === 'uninstall' || command === 'delete') uninstall(io, cluster, rest[0])
    else if (command === 'version') io.stdout(helmVersion(io.argv.includes('--short')))
    else throw new HelmError(`unknown command "${command ?? ''}" for "helm"`)
    if (command !== 'version' && command !== 'list' && command !== 'ls') lab.events.emit('changed')
    return { exitCode: 0 }
  } catch (error) {
    if (!(error instanceof HelmError)) throw error
    io.stderr(`Error: ${error.message}\n`)
    return { exitCode: 1 }
  }
}
