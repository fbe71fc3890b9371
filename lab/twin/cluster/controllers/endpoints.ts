import type { Cluster, Controller } from '../cluster.ts'
import type { KObject } from '../store.ts'
import { matches } from '../selector.ts'

/** The Endpoints of a service: its selector's Running pods that have an address, and the target ports. */
function endpointsFor(svc: KObject, pods: KObject[]): KObject {
  const ready = pods
    .filter(p => matches({ matchLabels: svc.spec.selector }, p.metadata.labels ?? {}) && p.status?.phase === 'Running' && p.status.podIP)
    .sort((a, b) => a.status.podIP.localeCompare(b.status.podIP, undefined, { numeric: true }))
  const ports = (svc.spec.ports ?? []).map((p: { name?: string; port: number; targetPort?: number; protocol?: string }) => ({
    ...(p.name ? { name: p.name } : {}),
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }))
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: svc.metadata.labels },
    subsets: ready.length
      ? [{ addresses: ready.map(p => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace } })), ports }]
      : [],
  }
}

/** kube-controller-manager's endpoints controller: one Endpoints object per service with a selector. */
export const endpointsController: Controller = {
  name: 'endpoints',
  async reconcile(cluster: Cluster) {
    const { store } = cluster
    if (!store.cluster) return
    const services = store.list('Service').filter(s => s.spec?.selector)
    for (const svc of services) {
      const desired = endpointsFor(svc, store.list('Pod', svc.metadata.namespace))
      if (store.get('Endpoints', svc.metadata.namespace, svc.metadata.name)) store.patch('Endpoints', svc.metadata.namespace, svc.metadata.name, o => void Object.assign(o, { subsets: desired.subsets, metadata: { ...o.metadata, labels: desired.metadata.labels } }))
      else store.create(desired)
    }
    for (const ep of store.list('Endpoints')) {
      if (!services.some(s => s.metadata.namespace === ep.metadata.namespace && s.metadata.name === ep.metadata.name)) store.delete('Endpoints', ep.metadata.namespace, ep.metadata.name)
    }
  },
}

/** `10.98.0.18:80,10.98.1.39:80,10.98.2.249:80 + 1 more...`, as kubectl prints an Endpoints object. */
export function formatEndpoints(ep: KObject | undefined, max = 3): string {
  const all: string[] = []
  for (const subset of ep?.subsets ?? []) {
    for (const address of subset.addresses ?? []) for (const port of subset.ports ?? []) all.push(`${address.ip}:${port.port}`)
  }
  if (all.length === 0) return '<none>'
  return all.length > max ? `${all.slice(0, max).join(',')} + ${all.length - max} more...` : all.join(',')
}
