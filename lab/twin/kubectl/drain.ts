import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flagOn } from './args.ts'
import { resolveTypes } from './get.ts'
import { KubectlError, notFound, type Out } from './kubectl-error.ts'

/**
 * `kubectl cordon|uncordon|drain NODE...` as kubectl 1.23 runs them (kubernetes/kubectl pkg/cmd/drain/drain.go,
 * pkg/drain/cordon.go, filters.go and drain.go): cordon sets spec.unschedulable (the node lifecycle controller adds
 * the node.kubernetes.io/unschedulable taint), uncordon clears it; drain cordons, then evicts every pod of the node
 * but mirror pods, refusing DaemonSet-managed pods without --ignore-daemonsets, pods with emptyDir volumes without
 * --delete-emptydir-data and pods no controller owns without --force. Their controllers place the evicted pods'
 * replacements on the nodes still schedulable.
 */

/** The nodes named on the command line; with none, kubectl's usage error. */
function nodesOf(cluster: Cluster, args: Args, verb: string): KObject[] {
  if (args.positional.length === 0)
    throw new KubectlError(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`)
  const type = resolveTypes(cluster, 'nodes')[0]
  return args.positional.map((name) => {
    const node = cluster.store.get('Node', undefined, name)
    if (!node) throw new KubectlError(notFound(type, name))
    return node
  })
}

/** RunCordonOrUncordon: `node/X cordoned`, or `already cordoned` when there was nothing to change. */
function cordonNodes(cluster: Cluster, nodes: KObject[], desired: boolean, out: Out): void {
  const word = desired ? 'cordoned' : 'uncordoned'
  for (const node of nodes) {
    const name = node.metadata.name
    if (Boolean(cluster.store.get('Node', undefined, name)?.spec?.unschedulable) === desired) {
      out.stdout(`node/${name} already ${word}\n`)
      continue
    }
    // The field is omitempty: uncordon's patch removes it.
    cluster.store.patch('Node', undefined, name, (o) => {
      if (desired) o.spec.unschedulable = true
      else delete o.spec.unschedulable
    })
    out.stdout(`node/${name} ${word}\n`)
  }
}

export const cordon = (cluster: Cluster, args: Args, out: Out, desired: boolean): number => {
  cordonNodes(cluster, nodesOf(cluster, args, desired ? 'cordon' : 'uncordon'), desired, out)
  return 0
}

/** pkg/drain/filters.go: what each filter says of a pod, in the order makeFilters applies them. */
const DAEMON_SET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)'
const DAEMON_SET_WARNING = 'ignoring DaemonSet-managed Pods'
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)'
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage'
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)'
const UNMANAGED_WARNING = 'deleting Pods that declare no controller'

interface PodDelete {
  pod: KObject
  delete: boolean
  reason: 'Okay' | 'Skip' | 'Warning' | 'Error'
  message?: string
}

interface DrainOptions {
  force: boolean
  ignoreDaemonSets: boolean
  deleteEmptyDirData: boolean
}

const finished = (pod: KObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
/** metav1.GetControllerOf: the owner reference marked controller. */
const controllerOf = (pod: KObject) =>
  (pod.metadata.ownerReferences as { kind: string; name: string; controller?: boolean }[] | undefined)?.find(
    (ref) => ref.controller,
  )

/**
 * A mirror pod (a static pod the kubelet runs from its manifests) cannot be deleted through the API. The real ones
 * carry kubernetes.io/config.mirror; the twin's static pods (cluster/bootstrap.ts) are the control plane's components.
 */
const isMirror = (pod: KObject) =>
  'kubernetes.io/config.mirror' in (pod.metadata.annotations ?? {}) ||
  (pod.metadata.labels?.tier === 'control-plane' && !controllerOf(pod))

function filterPod(cluster: Cluster, pod: KObject, options: DrainOptions): PodDelete {
  const owner = controllerOf(pod)
  if (owner?.kind === 'DaemonSet' && !finished(pod)) {
    if (!cluster.store.get('DaemonSet', pod.metadata.namespace, owner.name)) {
      const message = `daemonsets.apps "${owner.name}" not found`
      return options.force
        ? { pod, delete: true, reason: 'Warning', message }
        : { pod, delete: false, reason: 'Error', message }
    }
    return options.ignoreDaemonSets
      ? { pod, delete: false, reason: 'Warning', message: DAEMON_SET_WARNING }
      : { pod, delete: false, reason: 'Error', message: DAEMON_SET_FATAL }
  }
  if (isMirror(pod)) return { pod, delete: false, reason: 'Skip' }
  let status: PodDelete = { pod, delete: true, reason: 'Okay' }
  if ((pod.spec?.volumes ?? []).some((v: { emptyDir?: unknown }) => v.emptyDir) && !finished(pod)) {
    if (!options.deleteEmptyDirData) return { pod, delete: false, reason: 'Error', message: LOCAL_STORAGE_FATAL }
    status = { pod, delete: true, reason: 'Warning', message: LOCAL_STORAGE_WARNING }
  }
  if (!owner && !finished(pod)) {
    return options.force
      ? { pod, delete: true, reason: 'Warning', message: UNMANAGED_WARNING }
      : { pod, delete: false, reason: 'Error', message: UNMANAGED_FATAL }
  }
  return status
}

/** Pods by message, as PodDeleteList groups them (`ns/name, ns/name`), in the order first seen. */
function grouped(list: PodDelete[], reason: PodDelete['reason']): Map<string, string> {
  const groups = new Map<string, string[]>()
  for (const item of list.filter((i) => i.reason === reason)) {
    const key = item.message ?? 'unexpected error'
    groups.set(key, [...(groups.get(key) ?? []), `${item.pod.metadata.namespace}/${item.pod.metadata.name}`])
  }
  return new Map([...groups].map(([message, pods]) => [message, pods.join(', ')]))
}

/** PodDeleteList.errors(): `cannot delete <what>: <pods>`. */
const errorsOf = (list: PodDelete[]) =>
  [...grouped(list, 'Error')].map(([message, pods]) =>
    message.toLowerCase().startsWith('cannot delete') ? `${message}: ${pods}` : `cannot delete ${message}: ${pods}`,
  )

/** utilerrors.NewAggregate(...).Error(): one error as itself, several in brackets. */
const aggregate = (errors: string[]) => (errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`)

export function drain(cluster: Cluster, args: Args, out: Out): number {
  const nodes = nodesOf(cluster, args, 'drain')
  const options: DrainOptions = {
    force: flagOn(args, 'force'),
    ignoreDaemonSets: flagOn(args, 'ignore-daemonsets'),
    deleteEmptyDirData: flagOn(args, 'delete-emptydir-data'),
  }
  cordonNodes(cluster, nodes, true, out)
  const pending: string[] = []
  const fatal: string[][] = []
  for (const node of nodes) {
    const name = node.metadata.name
    const list = cluster.store
      .list('Pod')
      .filter((pod) => pod.spec?.nodeName === name)
      .map((pod) => filterPod(cluster, pod, options))
    const errors = errorsOf(list)
    if (errors.length) {
      out.stderr(`error: unable to drain node "${name}" due to error:${aggregate(errors)}, continuing command...\n`)
      pending.push(name)
      fatal.push(errors)
      continue
    }
    const warnings = [...grouped(list, 'Warning')].map(([message, pods]) => `${message}: ${pods}`)
    if (warnings.length) out.stderr(`WARNING: ${warnings.join('; ')}\n`)
    // Evictions run in parallel: each says it is evicting, then each pod is reported once it is gone.
    const evicted = list.filter((item) => item.delete).map((item) => item.pod)
    for (const pod of evicted) out.stdout(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}\n`)
    for (const pod of evicted) cluster.store.delete('Pod', pod.metadata.namespace, pod.metadata.name)
    for (const pod of evicted) out.stdout(`pod/${pod.metadata.name} evicted\n`)
    out.stdout(`node/${name} drained\n`)
  }
  if (pending.length === 0) return 0
  // cmdutil.CheckErr of the aggregate of each node's aggregate: one node's errors, one a line, with no prefix.
  out.stderr(`There are pending nodes to be drained:\n${pending.map((name) => ` ${name}\n`).join('')}`)
  out.stderr(
    fatal.length === 1 ? fatal[0].map((e) => `${e}\n`).join('') : `error: ${aggregate(fatal.map(aggregate))}\n`,
  )
  return 1
}
