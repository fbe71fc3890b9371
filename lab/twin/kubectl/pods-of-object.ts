import type { Cluster } from '../cluster/cluster.ts'
import { type LabelSelector, matches } from '../cluster/selector.ts'
import type { KObject } from '../cluster/store.ts'
import type { Args } from './args.ts'
import { KubectlError } from './kubectl-error.ts'
import { targetObjects } from './target-objects.ts'

/** The label selector of a workload or a service; undefined for kinds that select no pods. */
function podSelector(o: KObject): LabelSelector | undefined {
  if (o.kind === 'Service') return o.spec.selector ? { matchLabels: o.spec.selector } : undefined
  if (['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'Job'].includes(o.kind)) return o.spec.selector
  return undefined
}

const running = (p: KObject) => p.status?.phase === 'Running'

/**
 * The pod kubectl picks first (GetFirstPod with podutils' ByLogging for logs, reversed ActivePods for attach and
 * port-forward, which agree here): assigned before unassigned, Running before Pending, ready before not, then the
 * oldest, the one with the most to show.
 */
function activeFirst(a: KObject, b: KObject): number {
  const rank = (p: KObject) => [
    p.spec.nodeName ? 0 : 1,
    running(p) ? 0 : 1,
    p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? 0 : 1,
  ]
  const [ra, rb] = [rank(a), rank(b)]
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i]
  return Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '')
}

/**
 * A pod, or the pods a workload or service selects in its namespace, in the order kubectl picks the first of. Another
 * kind gets kubectl's refusal, `doing` being the verb's words (`get the logs from`, `attach to`).
 */
export function podsOf(cluster: Cluster, object: KObject, doing: string): KObject[] {
  if (object.kind === 'Pod') return [object]
  const selector = podSelector(object)
  const goType = `*${String(object.apiVersion).split('/').at(-1)}.${object.kind}`
  if (!selector) throw new KubectlError(`error: cannot ${doing} ${goType}: selector for ${goType} not implemented`)
  return cluster.store
    .list('Pod', object.metadata.namespace)
    .filter((p) => matches(selector, p.metadata.labels ?? {}))
    .sort(activeFirst)
}

/** `POD`, `pod/POD`, `deploy/NAME`, `svc/NAME`...: the object a logs or port-forward argument names (a bare word is a pod). */
export function namedObject(cluster: Cluster, args: Args, word: string): KObject {
  return targetObjects(cluster, args, word.includes('/') ? [word] : ['pod', word])[0].object
}
