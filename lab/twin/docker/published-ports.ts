import type { ContainerInfo } from '../context.ts'
import { API_SERVER, KIND_ROLE_LABEL } from '../kind/api-server.ts'

/** A port a container publishes on the host (docker's PortBinding). */
export interface PublishedPort {
  hostIp: string
  hostPort: number
  containerPort: number
  protocol: 'tcp'
}

/** kind's control plane publishes its API server; the routers and servers publish nothing, as in the seed. */
export function publishedPorts(info: ContainerInfo): PublishedPort[] {
  if (info.kind !== 'kind-node' || info.labels[KIND_ROLE_LABEL] !== 'control-plane') return []
  return [
    { hostIp: API_SERVER.address, hostPort: API_SERVER.port, containerPort: API_SERVER.containerPort, protocol: 'tcp' },
  ]
}
