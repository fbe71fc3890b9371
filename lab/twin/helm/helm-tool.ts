import { type Cluster, clusterOf } from '../cluster/cluster.ts'
import { commandName, NotEmulatedError, refuseIfReal, suggestions } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { CHARTS, chartNamed } from './charts.ts'
import {
  checkHelmFlags,
  HELM_COMMANDS,
  HELM_REPO_COMMANDS,
  type HelmArgs,
  HelmError,
  parseHelmArgs,
} from './helm-commands.ts'
import { flag, install, namespaceOf, uninstall, upgrade } from './helm-release.ts'
import { historyTable, listTime, statusText, uitable } from './release-printers.ts'
import { currentReleases, history, type Release } from './release-store.ts'
import { coalesceValues, valuesYaml } from './values.ts'

const USAGE =
  'The Kubernetes package manager\n\nUsage:\n  helm [command]\n\nThe twin lab supports: repo (add, list, update), install, upgrade, uninstall, list, status, get values, history, version\n'

/** `helm list [-A]`: the current revision of each release. */
function list(io: ToolIO, cluster: Cluster, args: HelmArgs): void {
  const all = args.flags.has('all-namespaces')
  const namespace = namespaceOf(args)
  const rows = currentReleases(cluster)
    .filter((r) => all || r.namespace === namespace)
    .map((r) => [
      r.name,
      r.namespace,
      String(r.revision),
      listTime(r.updated),
      r.status,
      `${r.chart}-${r.version}`,
      r.appVersion,
    ])
  io.stdout(uitable([['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION'], ...rows]))
}

/** The revisions of the release a status/get/history line names in its namespace, or helm's `release: not found`. */
function named(cluster: Cluster, args: HelmArgs, name: string | undefined, usage: string): Release[] {
  if (name === undefined)
    throw new HelmError(`"helm ${usage}" requires 1 argument\n\nUsage:  helm ${usage} RELEASE_NAME [flags]`)
  const revisions = history(cluster, namespaceOf(args), name)
  if (revisions.length === 0) throw new HelmError('release: not found')
  return revisions
}

/** `--revision N` of a release (its current one without). */
function revisionOf(revisions: Release[], args: HelmArgs): Release {
  const wanted = flag(args, 'revision')
  const release = wanted === undefined ? revisions.at(-1) : revisions.find((r) => String(r.revision) === wanted)
  if (!release) throw new HelmError('release: not found')
  return release
}

function status(io: ToolIO, cluster: Cluster, args: HelmArgs, name: string | undefined): void {
  const release = revisionOf(named(cluster, args, name, 'status'), args)
  io.stdout(statusText(release, chartNamed(release.chart)?.notes(release.version) ?? ''))
}

/** `helm get values [--all]`: the user's values, or with --all the chart's defaults coalesced under them. */
function get(io: ToolIO, cluster: Cluster, args: HelmArgs, what: string | undefined, name: string | undefined): void {
  if (what !== 'values') {
    const hint =
      "The twin's helm get shows values (helm get values RELEASE [--all]); kubectl get TYPE NAME -o yaml shows each object of the release."
    throw new NotEmulatedError('helm', what === undefined ? 'get' : `get ${what}`, hint)
  }
  const release = revisionOf(named(cluster, args, name, 'get values'), args)
  if (args.flags.has('all'))
    io.stdout(
      `COMPUTED VALUES:\n${valuesYaml(coalesceValues(chartNamed(release.chart)?.defaults ?? {}, release.values))}`,
    )
  else io.stdout(`USER-SUPPLIED VALUES:\n${valuesYaml(release.values)}`)
}

function repo(io: ToolIO, cluster: Cluster, word: string | undefined, args: string[]): void {
  const repos = cluster.store.helmRepos
  const sub = word === undefined ? undefined : commandName(HELM_REPO_COMMANDS, word)
  if (word !== undefined) refuseIfReal(HELM_REPO_COMMANDS, word, `repo ${word}`)
  if (sub === 'add') {
    const [name, url] = args
    if (!name || !url) throw new HelmError('"helm repo add" requires 2 arguments')
    if (repos[name] === url) return io.stdout(`"${name}" already exists with the same configuration, skipping\n`)
    if (!CHARTS[url.replace(/\/$/, '')])
      throw new HelmError(
        `looks like "${url}" is not a valid chart repository or cannot be reached: the lab is offline and knows https://helm.cilium.io only`,
      )
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
    io.stdout(uitable([['NAME', 'URL'], ...names.map((n) => [n, repos[n]])]))
  } else
    throw new HelmError(
      `unknown command "${word ?? ''}" for "helm repo"${suggestions(HELM_REPO_COMMANDS, word ?? '')}\nRun 'helm repo --help' for usage.`,
    )
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
  if (context !== undefined && context !== `kind-${cluster.store.cluster?.name}`)
    throw new HelmError(`Kubernetes cluster unreachable: context "${context}" does not exist`)
}

/** `helm` 3 on the lab host: repositories, and install/upgrade/uninstall/list/status/get values/history of the charts the offline lab knows (Cilium). */
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
      throw new HelmError(
        `unknown command "${word}" for "helm"${suggestions(HELM_COMMANDS, word!)}\nRun 'helm --help' for usage.`,
      )
    }
    checkHelmFlags(command, args)
    if (command !== 'repo' && command !== 'version') checkContext(cluster, args)
    if (command === 'repo') repo(io, cluster, rest[0], rest.slice(1))
    else if (command === 'install') await install(io, cluster, args, rest[0], rest[1])
    else if (command === 'upgrade') await upgrade(io, cluster, args, rest[0], rest[1])
    else if (command === 'uninstall') uninstall(io, cluster, args, rest[0])
    else if (command === 'list') list(io, cluster, args)
    else if (command === 'status') status(io, cluster, args, rest[0])
    else if (command === 'get') get(io, cluster, args, rest[0], rest[1])
    else if (command === 'history')
      io.stdout(historyTable(named(cluster, args, rest[0], 'history').slice(-Number(flag(args, 'max') ?? 256))))
    else io.stdout(helmVersion(args.flags.has('short')))
    if (['repo', 'install', 'upgrade', 'uninstall'].includes(command)) lab.events.emit('changed')
    return { exitCode: 0 }
  } catch (error) {
    if (error instanceof NotEmulatedError) io.stderr(`${error.message}\n`)
    else if (error instanceof HelmError) io.stderr(`Error: ${error.message}\n`)
    else throw error
    return { exitCode: 1 }
  }
}
