import type { Cluster } from '../cluster/cluster.ts'
import { ownedBy } from '../cluster/controllers/owned-pods.ts'
import { qualifiedSingular } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, FlagError, flag } from './args.ts'
import { describeContainers } from './describe-pod.ts'
import { DescribeWriter } from './describe-writer.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { tabwrite } from './tabwriter.ts'
import { targetObjects } from './target-objects.ts'

const REVISION = 'deployment.kubernetes.io/revision'
const CHANGE_CAUSE = 'kubernetes.io/change-cause'

/**
 * describe.go DescribePodTemplate (1.23), as `rollout history --revision=N` prints it: labels, annotations only when
 * there are some, the service account, the containers without status, `Volumes: <none>` or the volumes' names.
 */
export function describePodTemplate(template: KObject['spec']): string {
  const w = new DescribeWriter()
  w.line('Pod Template:')
  w.labels('  Labels', template.metadata?.labels)
  const annotations = template.metadata?.annotations ?? {}
  if (Object.keys(annotations).length)
    w.multiline(
      '  Annotations',
      Object.keys(annotations)
        .sort()
        .map((k) => `${k}: ${annotations[k]}`),
    )
  if (template.spec?.serviceAccountName) w.line(`Service Account:\t${template.spec.serviceAccountName}`, 1)
  describeContainers(w, template.spec?.containers ?? [], { space: '  ' })
  const volumes = (template.spec?.volumes ?? []) as { name: string }[]
  if (volumes.length === 0) w.line('  Volumes:\t<none>')
  else {
    w.line('  Volumes:')
    for (const v of volumes) w.line(`${v.name}:`, 2)
  }
  return w.toString()
}

/**
 * polymorphichelpers/history.go DeploymentHistoryViewer (1.23): the deployment's replica sets by their revision
 * annotation, each with the change-cause of the replica set; `REVISION  CHANGE-CAUSE` in a tabwriter of padding 2.
 */
function deploymentHistory(cluster: Cluster, deploy: KObject, revision: number): string {
  const sets = cluster.store
    .list('ReplicaSet', deploy.metadata.namespace)
    .filter((rs) => ownedBy(rs, deploy) && rs.metadata.annotations?.[REVISION] !== undefined)
  const byRevision = new Map(sets.map((rs) => [Number(rs.metadata.annotations![REVISION]), rs]))
  if (byRevision.size === 0) return 'No rollout history found.'
  if (revision > 0) {
    const rs = byRevision.get(revision)
    if (!rs) throw new KubectlError('error: unable to find the specified revision')
    const template = structuredClone(rs.spec.template)
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE]
    if (cause)
      template.metadata = {
        ...template.metadata,
        annotations: { ...(template.metadata?.annotations ?? {}), [CHANGE_CAUSE]: cause },
      }
    return describePodTemplate(template)
  }
  return historyTable(byRevision)
}

/**
 * polymorphichelpers/history.go DaemonSetHistoryViewer (1.23): the daemon set's ControllerRevisions by revision, the
 * change-cause of each; one revision's template is the revision's patch applied to the daemon set (the template
 * replaced whole, `$patch: replace`).
 */
function daemonSetHistory(cluster: Cluster, ds: KObject, revision: number): string {
  const revisions = cluster.store.list('ControllerRevision', ds.metadata.namespace).filter((r) => ownedBy(r, ds))
  const byRevision = new Map(revisions.map((r) => [Number(r.revision), r]))
  if (byRevision.size === 0) return 'No rollout history found.'
  if (revision > 0) {
    const found = byRevision.get(revision)
    if (!found) throw new KubectlError('error: unable to find the specified revision')
    const { $patch: _replace, ...template } = found.data.spec.template
    return describePodTemplate(template)
  }
  return historyTable(byRevision)
}

/** The overview both viewers print: `REVISION  CHANGE-CAUSE` in a tabwriter of padding 2, `<none>` without a cause. */
function historyTable(byRevision: Map<number, KObject>): string {
  const rows = [...byRevision.keys()]
    .sort((a, b) => a - b)
    .map((r) => [String(r), byRevision.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>'])
  return tabwrite([['REVISION', 'CHANGE-CAUSE'], ...rows], { minWidth: 0, padding: 2 })
}

/**
 * `kubectl rollout history TYPE/NAME [--revision=N]` (1.23 rollout_history.go): the name printer with the history as
 * its "operation", so the name is followed by a space, and the history's last newline by the printer's own: a blank
 * line ends the table.
 */
export async function rolloutHistory(cluster: Cluster, args: Args, out: Out): Promise<number> {
  if (args.positional.length === 0) throw new KubectlError('error: required resource not specified')
  const text = flag(args, 'revision') ?? '0'
  const revision = Number(text)
  if (!/^-?\d+$/.test(text))
    throw new FlagError(
      `invalid argument "${text}" for "--revision" flag: strconv.ParseInt: parsing "${text}": invalid syntax`,
    )
  if (revision < 0) throw new KubectlError(`error: revision must be a positive integer: ${revision}`)
  await cluster.settle()
  for (const { type, object } of targetObjects(cluster, args, args.positional, true)) {
    const viewer =
      type.kind === 'Deployment' ? deploymentHistory : type.kind === 'DaemonSet' ? daemonSetHistory : undefined
    if (!viewer)
      throw new KubectlError(
        `error: no history viewer has been implemented for "${type.group ? `${type.kind}.${type.group}` : type.kind}"`,
      )
    const history = viewer(cluster, object, revision)
    out.stdout(
      `${qualifiedSingular(type)}/${object.metadata.name} ${revision > 0 ? `with revision #${revision}` : ''}\n${history}\n`,
    )
  }
  return 0
}
