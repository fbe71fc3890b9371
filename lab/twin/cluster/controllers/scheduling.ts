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
 * Whether a pod with `podSpec` (and these tolerations) may be placed on `node`: taints, nodeSelector, cordon. With
 * `running`, whether a daemon pod already there may stay: only NoExecute taints count, as in the DaemonSet
 * controller's NodeShouldRunDaemonPod (shouldContinueRunning).
 */
export function fits(
  node: KObject,
  podSpec: any,
  tolerations: Toleration[],
  daemon: boolean,
  running = false,
): boolean {
  if (!daemon && node.spec?.unschedulable) return false
  const selector = podSpec?.nodeSelector
  if (selector && !matches({ matchLabels: selector }, node.metadata.labels ?? {})) return false
  return (node.spec?.taints ?? [])
    .filter((taint: Taint) => taint.effect === 'NoExecute' || (!running && taint.effect === 'NoSchedule'))
    .every((taint: Taint) => tolerations.some((t) => tolerates(t, taint)))
}

export const isReady = (node: KObject | undefined) =>
  (node?.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  )

export const internalIp = (node: KObject | undefined): string | undefined =>
  (node?.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address
