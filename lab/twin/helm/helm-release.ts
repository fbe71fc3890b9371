import type { Cluster } from '../cluster/cluster.ts'
import { findType } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { deleteObject } from '../kubectl/apply.ts'
import { CHARTS, type Chart } from './charts.ts'
import { ChartRenderError } from './cilium-chart.ts'
import { type HelmArgs, HelmError } from './helm-commands.ts'
import { statusText } from './release-printers.ts'
import { current, currentReleases, forgetRelease, type Release, saveRelease } from './release-store.ts'
import { coalesceValues, parseSet } from './values.ts'

/**
 * helm install, upgrade and uninstall of the charts the offline lab knows. Like helm 3 (pkg/action), a release is
 * scoped by namespace, each install or upgrade is a new revision stored beside the previous ones (superseded), and
 * an upgrade applies the newly rendered objects over the old: the emulated Cilium agent reads cilium-config, so
 * `--set bgpControlPlane.enabled=false` stops its BGP speakers.
 */

/** The last value of a flag. */
export const flag = (args: HelmArgs, name: string) => args.flags.get(name)?.at(-1)

export const namespaceOf = (args: HelmArgs) => flag(args, 'namespace') ?? 'default'

/** The chart `repo/name` at `--version` (the newest without it), or helm's error prefixed by `failure`. */
function resolveChart(
  cluster: Cluster,
  args: HelmArgs,
  chartRef: string,
  failure: string,
): { chartName: string; chart: Chart; version: string } {
  const [repo, chartName] = chartRef.split('/')
  const url = cluster.store.helmRepos[repo]
  if (!chartName || !url) throw new HelmError(`${failure}: repo ${repo} not found`)
  const chart = CHARTS[url]?.[chartName]
  const version = flag(args, 'version') ?? chart?.versions.at(-1)
  if (!chart || !version || !chart.versions.includes(version)) {
    throw new HelmError(
      `${failure}: chart "${chartName}" matching ${version ?? ''} not found in ${repo} index. (try 'helm repo update'): no chart version found for ${chartName}-${version ?? ''}`,
    )
  }
  return { chartName, chart, version }
}

/** The chart's objects, or the template's refusal as helm reports it after `failure`. */
function render(
  chart: Chart,
  namespace: string,
  version: string,
  values: Record<string, unknown>,
  failure: string,
): KObject[] {
  try {
    return chart.objects(namespace, version, values)
  } catch (error) {
    if (error instanceof ChartRenderError) throw new HelmError(`${failure}: ${error.message}`)
    throw error
  }
}

function setValues(args: HelmArgs): Record<string, unknown> {
  try {
    return parseSet([...(args.flags.get('set') ?? []), ...(args.flags.get('set-string') ?? [])])
  } catch (error) {
    throw new HelmError((error as Error).message)
  }
}

const refOf = (o: KObject) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })
const typeOf = (cluster: Cluster, kind: string) => findType(cluster.store, kind)!

async function finish(
  io: ToolIO,
  cluster: Cluster,
  args: HelmArgs,
  release: Release,
  chart: Chart,
  banner: string,
): Promise<void> {
  // --wait: helm returns once the release's pods run; the twin's controllers get there when they have caught up.
  if (args.flags.has('wait')) await cluster.settle()
  io.stdout(banner + statusText(release, chart.notes(release.version)))
}

export async function install(
  io: ToolIO,
  cluster: Cluster,
  args: HelmArgs,
  name: string | undefined,
  chartRef: string | undefined,
): Promise<void> {
  if (!name || !chartRef)
    throw new HelmError('INSTALLATION FAILED: must either provide a name or specify --generate-name')
  if (!cluster.store.cluster)
    throw new HelmError(
      'INSTALLATION FAILED: Kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp 127.0.0.1:8080: connect: connection refused',
    )
  const namespace = namespaceOf(args)
  const { chartName, chart, version } = resolveChart(cluster, args, chartRef, 'INSTALLATION FAILED')
  if (currentReleases(cluster).some((r) => r.name === name))
    throw new HelmError('INSTALLATION FAILED: cannot re-use a name that is still in use')
  if (!cluster.store.get('Namespace', undefined, namespace)) {
    if (!args.flags.has('create-namespace'))
      throw new HelmError(`INSTALLATION FAILED: create: failed to create: namespaces "${namespace}" not found`)
    cluster.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
      spec: {},
      status: { phase: 'Active' },
    })
  }
  const values = setValues(args)
  const objects = render(chart, namespace, version, values, 'INSTALLATION FAILED')
  for (const object of objects) {
    if (
      cluster.store.get(
        object.kind,
        typeOf(cluster, object.kind).namespaced ? namespace : undefined,
        object.metadata.name,
      )
    ) {
      throw new HelmError(
        `INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: ${object.kind} "${object.metadata.name}" in namespace "${namespace}" exists and cannot be imported into the current release`,
      )
    }
  }
  const release: Release = {
    name,
    namespace,
    chart: chartName,
    version,
    appVersion: chart.appVersion(version),
    revision: 1,
    updated: new Date().toISOString(),
    status: 'deployed',
    description: 'Install complete',
    values,
    objects: objects.map(refOf),
  }
  for (const object of objects) cluster.store.create(object)
  saveRelease(cluster, release)
  await finish(io, cluster, args, release, chart, '')
}

/**
 * `helm upgrade RELEASE CHART`: the values are the new --set ones alone, the previous ones with --reuse-values
 * (and when no value is given, as helm 3 does), the chart's defaults with --reset-values.
 */
export async function upgrade(
  io: ToolIO,
  cluster: Cluster,
  args: HelmArgs,
  name: string | undefined,
  chartRef: string | undefined,
): Promise<void> {
  if (!name || !chartRef)
    throw new HelmError(`"helm upgrade" requires 2 arguments\n\nUsage:  helm upgrade [RELEASE] [CHART] [flags]`)
  const namespace = namespaceOf(args)
  const previous = current(cluster, namespace, name)
  if (!previous) {
    if (args.flags.has('install')) {
      io.stdout(`Release "${name}" does not exist. Installing it now.\n`)
      return install(io, cluster, args, name, chartRef)
    }
    throw new HelmError(`UPGRADE FAILED: "${name}" has no deployed releases`)
  }
  const { chartName, chart, version } = resolveChart(cluster, args, chartRef, 'UPGRADE FAILED')
  const given = setValues(args)
  const values = args.flags.has('reset-values')
    ? given
    : args.flags.has('reuse-values') || Object.keys(given).length === 0
      ? coalesceValues(previous.values, given)
      : given
  const objects = render(chart, namespace, version, values, 'UPGRADE FAILED')
  for (const object of objects) {
    const existing = cluster.store.get(
      object.kind,
      typeOf(cluster, object.kind).namespaced ? namespace : undefined,
      object.metadata.name,
    )
    // The status is the controllers' (a DaemonSet's counts): an upgrade changes the spec, as helm's patch does.
    if (existing) cluster.store.update(existing.status ? { ...object, status: existing.status } : object)
    else cluster.store.create(object)
  }
  const kept = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`))
  for (const ref of previous.objects)
    if (!kept.has(`${ref.kind}/${ref.name}`)) deleteObject(cluster, typeOf(cluster, ref.kind), ref.namespace, ref.name)
  saveRelease(cluster, { ...previous, status: 'superseded' })
  const release: Release = {
    name,
    namespace,
    chart: chartName,
    version,
    appVersion: chart.appVersion(version),
    revision: previous.revision + 1,
    updated: new Date().toISOString(),
    status: 'deployed',
    description: 'Upgrade complete',
    values,
    objects: objects.map(refOf),
  }
  saveRelease(cluster, release)
  await finish(io, cluster, args, release, chart, `Release "${name}" has been upgraded. Happy Helming!\n`)
}

export function uninstall(io: ToolIO, cluster: Cluster, args: HelmArgs, name: string | undefined): void {
  const release = name === undefined ? undefined : current(cluster, namespaceOf(args), name)
  if (!release) throw new HelmError(`uninstall: Release not loaded: ${name}: release: not found`)
  for (const ref of release.objects) deleteObject(cluster, typeOf(cluster, ref.kind), ref.namespace, ref.name)
  forgetRelease(cluster, release)
  io.stdout(`release "${name}" uninstalled\n`)
}
