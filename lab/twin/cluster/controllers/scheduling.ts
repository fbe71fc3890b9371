import { matches } from '../selector.ts'
import type { KObject } from '../store.ts'

interface Taint {
  key: string
  value?: string
  effect: string
}
interface Toleration {
  key?: string
  operator?: 'Exists' | 'Equal'
  value?: string
  effect?: string
}

const tolerates = (t: Toleration, taint: Taint) =>
  (!t.effect || t.effect === taint.effect) &&
  (t.operator === 'Exists'
    ? !t.key || t.key === taint.key
    : t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))

/** The tolerations the DaemonSet controller adds to every daemon pod (pkg/controller/daemon/util). */
export function daemonTolerations(podSpec: any): Toleration[] {
  const added: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ]
  if (podSpec?.hostNetwork)
    added.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' })
  return [...(podSpec?.tolerations ?? []), ...added]
}

/**
 * Why `node` cannot take a pod with `podSpec` (and these tolerations), in the 1.23 scheduler's words, or undefined when
 * it can: the first filter that fails in the default order (pkg/scheduler/apis/config/v1beta3/default_plugins.go:
 * NodeUnschedulable, TaintToleration, NodeAffinity), each with its reason (nodeunschedulable.ErrReasonUnschedulable,
 * tainttoleration's "node(s) had taint {%s: %s}, that the pod didn't tolerate", nodeaffinity.ErrReasonPod). With
 * `running`, whether a daemon pod already there may stay: only NoExecute taints count, as in the DaemonSet
 * controller's NodeShouldRunDaemonPod (shouldContinueRunning).
 */
export function unfitReason(
  node: KObject,
  podSpec: any,
  tolerations: Toleration[],
  daemon: boolean,
  running = false,
): string | undefined {
  if (!daemon && node.spec?.unschedulable) return 'node(s) were unschedulable'
  const untolerated = (node.spec?.taints ?? [])
    .filter((taint: Taint) => taint.effect === 'NoExecute' || (!running && taint.effect === 'NoSchedule'))
    .find((taint: Taint) => !tolerations.some((t) => tolerates(t, taint)))
  if (untolerated)
    return `node(s) had taint {${untolerated.key}: ${untolerated.value ?? ''}}, that the pod didn't tolerate`
  const selector = podSpec?.nodeSelector
  if (selector && !matches({ matchLabels: selector }, node.metadata.labels ?? {}))
    return "node(s) didn't match Pod's node affinity/selector"
}

/** Whether `node` may take (or, `running`, keep) a pod with `podSpec`: no filter fails (unfitReason). */
export const fits = (node: KObject, podSpec: any, tolerations: Toleration[], daemon: boolean, running = false) =>
  unfitReason(node, podSpec, tolerations, daemon, running) === undefined

/**
 * The scheduler's FitError for a pod no node takes (pkg/scheduler/framework/types.go, 1.23): "0/N nodes are
 * available: " then each reason with how many nodes gave it, sorted as strings, joined by ", ", and a full stop.
 */
export function fitError(nodes: KObject[], podSpec: any): string {
  // ErrNoNodesAvailable (pkg/scheduler/generic_scheduler.go, 1.23)
  if (nodes.length === 0) return 'no nodes available to schedule pods'
  const counts = new Map<string, number>()
  for (const node of nodes) {
    const reason = unfitReason(node, podSpec, podSpec?.tolerations ?? [], false)
    if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort()
  return `0/${nodes.length} nodes are available: ${histogram.join(', ')}.`
}

export const isReady = (node: KObject | undefined) =>
  (node?.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  )

export const internalIp = (node: KObject | undefined): string | undefined =>
  (node?.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address
