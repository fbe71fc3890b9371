/**
 * The two cluster answers the topology is read from: `kubectl get nodes -o json` (each node's address, pod CIDR and
 * rack label) and `kubectl get services -A -o json` (which service holds a LoadBalancer address, to name a /32).
 */
import type { TopologyNode } from '../../protocol/messages.ts'

interface List<T> {
  items?: T[]
}

interface NodeJson {
  metadata?: { name?: string; labels?: Record<string, string> }
  spec?: { podCIDR?: string }
  status?: { addresses?: { type?: string; address?: string }[] }
}

interface ServiceJson {
  metadata?: { name?: string; namespace?: string }
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } }
}

/** The nodes, by name; null when the answer is not a node list (no cluster yet). */
export function parseNodes(text: string): TopologyNode[] | null {
  const list = parseList<NodeJson>(text)
  if (!list) return null
  return list
    .filter((node) => typeof node.metadata?.name === 'string')
    .map((node) => ({
      name: node.metadata!.name!,
      rack: node.metadata?.labels?.rack ?? null,
      address: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null,
      podCidr: node.spec?.podCIDR ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** LoadBalancer address -> `namespace/name` of its service; empty when the answer is not a service list. */
export function parseServiceAddresses(text: string): Map<string, string> {
  const addresses = new Map<string, string>()
  for (const service of parseList<ServiceJson>(text) ?? []) {
    for (const ingress of service.status?.loadBalancer?.ingress ?? []) {
      if (ingress.ip)
        addresses.set(ingress.ip, `${service.metadata?.namespace ?? 'default'}/${service.metadata?.name ?? '?'}`)
    }
  }
  return addresses
}

function parseList<T>(text: string): T[] | null {
  try {
    const json = JSON.parse(text) as List<T>
    return Array.isArray(json?.items) ? json.items : null
  } catch {
    return null
  }
}
