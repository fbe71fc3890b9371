import { stringify } from 'yaml'
import type { ClusterRecord } from '../cluster/store.ts'
import { API_SERVER } from './api-server.ts'

/**
 * `kind get kubeconfig [--internal]`: the kubeconfig kind writes for a cluster (context, cluster and user all named
 * `kind-<name>`; the server is the published API port, or with --internal the control plane's name on the kind
 * network). The twin's API server is the lab daemon, reached by the lab's kubectl and helm whatever kubeconfig they
 * are given, and it serves no TLS: the file carries no certificates, and says so in a comment rather than carry
 * made-up ones.
 */
export function kubeconfig(record: ClusterRecord, internal: boolean): string {
  const name = `kind-${record.name}`
  const controlPlane =
    record.nodes.find((node) => node.role === 'control-plane')?.name ?? `${record.name}-control-plane`
  const server = internal
    ? `https://${controlPlane}:${API_SERVER.containerPort}`
    : `https://${API_SERVER.address}:${API_SERVER.port}`
  const config = {
    apiVersion: 'v1',
    clusters: [{ cluster: { server }, name }],
    contexts: [{ context: { cluster: name, user: name }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name, user: {} }],
  }
  return (
    "# twin lab: the lab's kubectl and helm reach this cluster without TLS, so no certificate data is included\n" +
    stringify(config, { indentSeq: false })
  )
}
