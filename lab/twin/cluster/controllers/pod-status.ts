import type { KObject } from '../store.ts'

const containerNames = (pod: KObject): string[] => (pod.spec?.containers ?? []).map((c: { name: string }) => c.name)

/**
 * Status of a pod whose containers run: phase Running, every container ready. Each container keeps the restart
 * count and last state it had (a node's restart counts one, nodes.ts), as the kubelet does.
 */
export function runningStatus(pod: KObject, podIP: string | undefined, hostIP: string | undefined, since: string): any {
  const previous = (name: string) =>
    (pod.status?.containerStatuses ?? []).find((s: { name: string }) => s.name === name) ?? {}
  return {
    phase: 'Running',
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    ...(hostIP ? { hostIP } : {}),
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: pod.status?.startTime ?? since,
    containerStatuses: containerNames(pod).map((name, i) => ({
      name,
      ...(previous(name).lastState ? { lastState: previous(name).lastState } : {}),
      ready: true,
      restartCount: previous(name).restartCount ?? 0,
      started: true,
      image: pod.spec.containers[i].image,
      state: { running: { startedAt: previous(name).state?.running?.startedAt ?? since } },
    })),
  }
}

/** Status of a pod bound to a node whose containers cannot start yet (no CNI): ContainerCreating. */
export function creatingStatus(pod: KObject, hostIP: string | undefined): any {
  return {
    phase: 'Pending',
    conditions: [
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      { type: 'PodScheduled', status: 'True' },
    ],
    ...(hostIP ? { hostIP } : {}),
    containerStatuses: containerNames(pod).map((name, i) => ({
      name,
      ready: false,
      restartCount: 0,
      image: pod.spec.containers[i].image,
      state: { waiting: { reason: 'ContainerCreating' } },
    })),
  }
}

/** Status of a pod no node can take. */
export const unschedulableStatus = (message: string): any => ({
  phase: 'Pending',
  conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
})

/**
 * Whether a pod counts as ready (podutil.IsPodReady): Running, and its Ready condition not False (the node lifecycle
 * controller sets it False on a node gone NotReady). The endpoints, ReplicaSet, Deployment and DaemonSet controllers
 * all count by it.
 */
export const isPodReady = (pod: KObject): boolean =>
  pod.status?.phase === 'Running' &&
  !(pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'False',
  )
