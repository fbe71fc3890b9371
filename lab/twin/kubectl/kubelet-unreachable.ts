import type { Cluster } from '../cluster/cluster.ts'
import { nodeStopped } from '../cluster/node-power.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'

/**
 * `kubectl exec` and `kubectl logs` go through the API server to the pod's kubelet, which a stopped node does not
 * run: the real API server then fails to dial it after a network timeout, with an error the twin does not
 * reproduce. It says so instead, and what to do.
 */
export function refuseIfKubeletStopped(cluster: Cluster, pod: KObject, verb: 'exec' | 'logs'): void {
  const node = pod.spec?.nodeName
  if (!node || !nodeStopped(cluster.lab, node)) return
  throw new NotEmulatedError(
    'kubectl',
    `${verb} ${pod.metadata.name}: its node ${node} is stopped`,
    `The API server cannot reach the kubelet of a stopped node: docker start ${node} first.`,
  )
}
