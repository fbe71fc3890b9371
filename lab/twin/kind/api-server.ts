/**
 * Where kind publishes a cluster's API server on the host: `127.0.0.1:<port>` mapped to the control plane's 6443, as
 * `docker ps` shows and the kubeconfig names. kind 0.18 picks a free port unless the config sets
 * `networking.apiServerPort`; the twin uses 6443, the port `kubectl cluster-info` prints, so every tool agrees.
 */
export const API_SERVER = { address: '127.0.0.1', port: 6443, containerPort: 6443 }

/** kind's role label on a node container (`io.x-k8s.kind.role`): the control plane publishes the API server. */
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role'
