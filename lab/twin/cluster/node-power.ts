import type { TwinContext } from '../context.ts'
import { finishedAt, isRunning, startedAt } from '../docker/container-state.ts'
import type { KObject, ObjectStore } from './store.ts'

/**
 * Whether a kind node's container runs, as `docker stop|start` left it: a stopped node runs nothing (no kubelet, no
 * Cilium agent and its BGP speaker, no pods), so the controllers standing in for what runs on it leave it alone.
 */
export function nodeStopped(lab: TwinContext, node: string): boolean {
  const info = lab.containers.get(node)
  return info !== undefined && !isRunning(info)
}

/** When the node's container stopped, while it is stopped. */
export function nodeStoppedAt(lab: TwinContext, node: string): number | undefined {
  const info = lab.containers.get(node)
  return info && finishedAt(info)
}

/** When the node's container last started (its creation, or the last `docker start`). */
export function nodeStartedAt(lab: TwinContext, node: string): number | undefined {
  const info = lab.containers.get(node)
  return info && startedAt(info)
}

/** The node kubeadm made the control plane: it runs the API server and kube-controller-manager. */
export const controlPlaneNode = (store: ObjectStore): KObject | undefined =>
  store.list('Node').find((node) => 'node-role.kubernetes.io/control-plane' in (node.metadata.labels ?? {}))

/** Whether the API server is down with its node: kubectl's connection to it is refused. */
export function apiServerStopped(lab: TwinContext, store: ObjectStore): boolean {
  const node = controlPlaneNode(store)
  return node !== undefined && nodeStopped(lab, node.metadata.name)
}
