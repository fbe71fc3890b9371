import type { KObject } from '../cluster/store.ts'
import { tabwriteText } from './tab-text.ts'

/** One frontend of the agent's service table, with its backends (`ip:port`). */
export interface AgentService {
  id: number
  frontend: string
  type: 'ClusterIP' | 'LoadBalancer'
  backends: string[]
}

/** A service's backends on port `port` of its spec: the Endpoints' addresses with the target port. */
function backendsOf(endpoints: KObject | undefined, portName: string | undefined): string[] {
  const out: string[] = []
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p: { name?: string }) => p.name === portName) ?? (subset.ports ?? [])[0]
    if (!port) continue
    for (const address of subset.addresses ?? []) out.push(`${address.ip}:${port.port}`)
  }
  return out
}

/**
 * The agent's service table from the store: a ClusterIP frontend per service port, then one per LoadBalancer ingress
 * IP, as the agent's k8s watcher turns a Service into datapath services. IDs are handed out in the order the agent
 * learns of services (creation order), starting at 1, as its ID allocator does on a fresh start.
 */
export function agentServices(services: KObject[], endpoints: KObject[]): AgentService[] {
  const ordered = [...services].sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  )
  const out: AgentService[] = []
  for (const svc of ordered) {
    const clusterIp = svc.spec?.clusterIP
    if (!clusterIp || clusterIp === 'None') continue
    const ep = endpoints.find(
      (e) => e.metadata.namespace === svc.metadata.namespace && e.metadata.name === svc.metadata.name,
    )
    for (const port of svc.spec.ports ?? []) {
      const backends = backendsOf(ep, port.name)
      out.push({ id: out.length + 1, frontend: `${clusterIp}:${port.port}`, type: 'ClusterIP', backends })
      if (svc.spec.type !== 'LoadBalancer') continue
      for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
        if (ingress.ip)
          out.push({ id: out.length + 1, frontend: `${ingress.ip}:${port.port}`, type: 'LoadBalancer', backends })
      }
    }
  }
  return out
}

/**
 * `cilium service list` (cilium/cmd/service_list.go printServiceList, v1.13): tabwriter minwidth 5, padding 3, a
 * header and rows ending with a tab (so every column, Backend included, is padded), further backends on rows of their
 * own under the first; each backend `N => ip:port (active)` (the backend state column of 1.12 and later).
 */
export function formatServiceList(services: AgentService[]): string {
  let text = 'ID\tFrontend\tService Type\tBackend\t\n'
  for (const svc of services) {
    const backends = svc.backends.map((b, i) => `${i + 1} => ${b} (active)`)
    text += `${svc.id}\t${svc.frontend}\t${svc.type}\t${backends[0] ?? ''}\t\n`
    for (const backend of backends.slice(1)) text += `\t\t\t${backend}\t\n`
  }
  return tabwriteText(text, 5, 3)
}
