import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { clusterOf, type Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { findType } from '../cluster/resources.ts'
import { deleteObject } from '../kubectl/apply.ts'
import { parseSet } from './values.ts'
import { ciliumObjects, CILIUM_VERSIONS } from './cilium-chart.ts'
import { checkHelmFlags, HELM_COMMANDS, HELM_REPO_COMMANDS, HelmError, parseHelmArgs, type HelmArgs } from './helm-commands.ts'
import { commandName, NotEmulatedError, refuseIfReal, suggestions } from '../daemon/not-emulated.ts'

const USAGE = 'The Kubernetes package manager\n\nUsage:\n  helm [command]\n\nThe twin lab supports: repo (add, list, update), install, list, uninstall, version\n'

/** Charts the offline lab can install, by repository URL. */
const CHARTS: Record<string, Record<string, { versions: string[]; appVersion: (v: string) => string; objects: typeof ciliumObjects }>> = {
  'https://helm.cilium.io': { cilium: { versions: CILIUM_VERSIONS, appVersion: v => v, objects: ciliumObjects } },
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

/** The last value of a flag. */
const flag = (args: HelmArgs, name: string) => args.flags.get(name)?.at(-1)

async function install(io: ToolIO, cluster: Cluster, args: HelmArgs, name: string | undefined, chartRef: string | undefined): Promise<void> {
  if (!name || !chartRef) throw new HelmError(`INSTALLATION FAILED: must either provide a name or specify --generate-name`)
  if (!cluster.store.cluster) throw new HelmError('INSTALLATION FAILED: Kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp 127.0.0.1:8080: connect: connection refused')
  const namespace = flag(args, 'namespace') ?? 'default'
  const [repo, chartName] = chartRef.split('/')
  const url = cluster.store.helmRepos[repo]
  if (!chartName || !url) throw new HelmError(`INSTALLATION FAILED: repo ${repo} not found`)
  const chart = CHARTS[url]?.[chartName]
  const version = flag(args, 'version') ?? chart?.versions.at(-1)
  if (!chart || !version || !chart.versions.includes(version)) {
    throw new HelmError(`INSTALLATION FAILED: chart "${chartName}" matching ${version ?? ''} not found in ${repo} index. (try 'helm repo update'): no chart version found for ${chartName}-${version ?? ''}`)
  }
  if (releases(cluster).some(r => r.name === name)) throw new HelmError('INSTALLATION FAILED: cannot re-use a name that is still in use')
  if (!cluster.store.get('Namespace', undefined, namespace)) {
    if (!args.flags.has('create-namespace')) throw new HelmError(`INSTALLATION FAILED: create: failed to create: namespaces "${namespace}" not found`)
    cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace }, spec: {}, status: { phase: 'Active' } })
  }
  let values: Record<string, unknown>
  try {
    values = parseSet([...(args.flags.get('set') ?? []), ...(args.flags.get('set-string') ?? [])])
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
  // --wait: helm returns once the release's pods run; the twin's controllers get there when they have caught up.
  if (args.flags.has('wait')) await cluster.settle()
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

function list(io: ToolIO, cluster: Cluster, args: HelmArgs): void {
  const all = args.flags.has('all-namespaces')
  const namespace = flag(args, 'namespace') ?? 'default'
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

function repo(io: ToolIO, cluster: Cluster, word: string | undefined, args: string[]): void {
  const repos = cluster.store.helmRepos
  const sub = word === undefined ? undefined : commandName(HELM_REPO_COMMANDS, word)
  if (word !== undefined) refuseIfReal(HELM_REPO_COMMANDS, word, `repo ${word}`)
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
  } else throw new HelmError(`unknown command "${word ?? ''}" for "helm repo"${suggestions(HELM_REPO_COMMANDS, word ?? '')}\nRun 'helm repo --help' for usage.`)
}

const HELM_VERSION = 'v3.15.0-rc.2'
const HELM_COMMIT = 'c4e37b39dbb341cb3f716220df9f9d306d123a58'

/** `helm version [--short]`: the seed's helm; --short is `<version>+g<7 hex of the commit>` like helm prints it. */
function helmVersion(short: boolean): string {
  if (short) return `${HELM_VERSION}+g${HELM_COMMIT.slice(0, 7)}\n`
  return `version.BuildInfo{Version:"${HELM_VERSION}", GitCommit:"${HELM_COMMIT}", GitTreeState:"clean", GoVersion:"go1.22.3"}\n`
}

/** A kube context other than kind's one: helm cannot reach a cluster through it. */
function checkContext(cluster: Cluster, args: HelmArgs): void {
  const context = flag(args, 'kube-context')
  if (context !== undefined && context !== `kind-${cluster.store.cluster?.name}`) throw new HelmError(`Kubernetes cluster unreachable: context "${context}" does not exist`)
}

/** `helm` 3 on the lab host: repositories, install/list/uninstall of the charts the offline lab knows (Cilium). */
export const helmTool: ToolHandler = async (io, lab) => {
  const cluster = clusterOf(lab)
  try {
    const args = parseHelmArgs(io.argv)
    const [word, ...rest] = args.positional
    const command = word === undefined ? undefined : commandName(HELM_COMMANDS, word)
    if (command === undefined || command === 'help' || args.flags.has('help')) {
      io.stdout(USAGE)
      return { exitCode: 0 }
    }
    if (!HELM_COMMANDS.emulated.includes(command)) {
      refuseIfReal(HELM_COMMANDS, command, word)
      throw new HelmError(`unknown command "${word}" for "helm"${suggestions(HELM_COMMANDS, word!)}\nRun 'helm --help' for usage.`)
    }
    checkHelmFlags(command, args)
    if (command !== 'repo' && command !== 'version') checkContext(cluster, args)
    if (command === 'repo') repo(io, cluster, rest[0], rest.slice(1))
    else if (command === 'install') await install(io, cluster, args, rest[0], rest[1])
    else if (command === 'list') list(io, cluster, args)
    else if (command === 'uninstall') uninstall(io, cluster, rest[0])
    else io.stdout(helmVersion(args.flags.has('short')))
    if (command !== 'version' && command !== 'list') lab.events.emit('changed')
    return { exitCode: 0 }
  } catch (error) {
    if (error instanceof NotEmulatedError) io.stderr(error.message + '\n')
    else if (error instanceof HelmError) io.stderr(`Error: ${error.message}\n`)
    else throw error
    return { exitCode: 1 }
  }
}
