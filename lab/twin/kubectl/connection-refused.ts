import type { Cluster } from '../cluster/cluster.ts'
import { apiServerStopped } from '../cluster/node-power.ts'
import { API_SERVER } from '../kind/api-server.ts'
import { KubectlError } from './kubectl-error.ts'

/**
 * kubectl's words when nothing listens where its kubeconfig points (k8s.io/kubectl pkg/cmd/util/helpers.go
 * StandardErrorMessage: "The connection to the server %s was refused - did you specify the right host or port?"),
 * with the host and port of the lab's kubeconfig: what every command that needs the API server prints while the
 * control plane node is stopped (`docker stop clab-bgp-control-plane`) and its published port with it.
 */
export const API_SERVER_REFUSED = `The connection to the server ${API_SERVER.address}:${API_SERVER.port} was refused - did you specify the right host or port?`

export function refuseIfApiServerStopped(cluster: Cluster): void {
  if (apiServerStopped(cluster.lab, cluster.store)) throw new KubectlError(API_SERVER_REFUSED)
}
