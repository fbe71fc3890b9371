import type { Cluster, Controller } from '../cluster.ts'
import { generateName } from '../names.ts'
import { matches } from '../selector.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { controllerRef } from './owned-pods.ts'
import { isPodReady } from './pod-status.ts'

/**
 * The Endpoints of a service: its selector's Running pods that have an address, the ready ones under `addresses`, the
 * others (a NotReady node's) under `notReadyAddresses`, as the endpoints controller lists them; and the target ports.
 */
function endpointsFor(svc: KObject, pods: KObject[]): KObject {
  const running = pods
    .filter(
      (p) =>
        matches({ matchLabels: svc.spec.selector }, p.metadata.labels ?? {}) &&
        p.status?.phase === 'Running' &&
        p.status.podIP,
    )
    .sort((a, b) => a.status.podIP.localeCompare(b.status.podIP, undefined, { numeric: true }))
  const address = (p: KObject) => ({
    ip: p.status.podIP,
    nodeName: p.spec.nodeName,
    targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid },
  })
  const ready = running.filter(isPodReady).map(address)
  const notReady = running.filter((p) => !isPodReady(p)).map(address)
  const ports = (svc.spec.ports ?? []).map(
    (p: { name?: string; port: number; targetPort?: number; protocol?: string }) => ({
      ...(p.name ? { name: p.name } : {}),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }),
  )
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: svc.metadata.labels },
    // Empty lists are left out, as the API server's JSON leaves them.
    subsets: running.length
      ? [
          {
            ...(ready.length ? { addresses: ready } : {}),
            ...(notReady.length ? { notReadyAddresses: notReady } : {}),
            ports,
          },
        ]
      : [],
  }
}

const SERVICE_NAME = 'kubernetes.io/service-name'
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by'

/** One endpoint of a slice: a pod that is not ready is neither ready nor serving (it is not terminating). */
const sliceEndpoint = (a: { ip: string; nodeName: string; targetRef: object }, ready: boolean) => ({
  addresses: [a.ip],
  conditions: { ready, serving: ready, terminating: false },
  nodeName: a.nodeName,
  targetRef: a.targetRef,
})

/**
 * The EndpointSlice the endpointslice controller keeps for a service, with the same addresses as its Endpoints; with
 * none it is the controller's placeholder slice (null endpoints and ports).
 */
function sliceFor(svc: KObject, endpoints: KObject, name: string): KObject {
  const subset = endpoints.subsets[0]
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: svc.metadata.namespace,
      generateName: `${svc.metadata.name}-`,
      labels: {
        ...(svc.metadata.labels ?? {}),
        [MANAGED_BY]: 'endpointslice-controller.k8s.io',
        [SERVICE_NAME]: svc.metadata.name,
      },
      ownerReferences: [controllerRef(svc)],
    },
    addressType: 'IPv4',
    endpoints: subset
      ? [
          ...(subset.addresses ?? []).map((a: any) => sliceEndpoint(a, true)),
          ...(subset.notReadyAddresses ?? []).map((a: any) => sliceEndpoint(a, false)),
        ]
      : null,
    // Unnamed ports keep an empty name in discovery/v1, unlike in Endpoints.
    ports: subset ? subset.ports.map((p: any) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })) : null,
  }
}

/** Creates or updates the service's one slice (`<svc>-<5 chars>`, named once) from its Endpoints. */
function syncSlice(store: ObjectStore, svc: KObject, endpoints: KObject): void {
  const ns = svc.metadata.namespace
  const existing = store
    .list('EndpointSlice', ns)
    .find((s) => s.metadata.ownerReferences?.[0]?.uid === svc.metadata.uid)
  if (!existing) {
    store.create(
      sliceFor(
        svc,
        endpoints,
        generateName(`${svc.metadata.name}-`, (n) => store.get('EndpointSlice', ns, n) !== undefined),
      ),
    )
    return
  }
  const desired = sliceFor(svc, endpoints, existing.metadata.name)
  store.patch(
    'EndpointSlice',
    ns,
    existing.metadata.name,
    (o) =>
      void Object.assign(o, {
        endpoints: desired.endpoints,
        ports: desired.ports,
        metadata: { ...o.metadata, labels: desired.metadata.labels },
      }),
  )
}

/**
 * kube-controller-manager's endpoints and endpointslice controllers: one Endpoints object and one EndpointSlice per
 * service with a selector, with the same ready addresses.
 */
export const endpointsController: Controller = {
  name: 'endpoints',
  async reconcile(cluster: Cluster) {
    const { store } = cluster
    if (!store.cluster) return
    const services = store.list('Service').filter((s) => s.spec?.selector)
    for (const svc of services) {
      const desired = endpointsFor(svc, store.list('Pod', svc.metadata.namespace))
      if (store.get('Endpoints', svc.metadata.namespace, svc.metadata.name))
        store.patch(
          'Endpoints',
          svc.metadata.namespace,
          svc.metadata.name,
          (o) =>
            void Object.assign(o, {
              subsets: desired.subsets,
              metadata: { ...o.metadata, labels: desired.metadata.labels },
            }),
        )
      else store.create(desired)
      syncSlice(store, svc, desired)
    }
    for (const ep of store.list('Endpoints')) {
      if (!services.some((s) => s.metadata.namespace === ep.metadata.namespace && s.metadata.name === ep.metadata.name))
        store.delete('Endpoints', ep.metadata.namespace, ep.metadata.name)
    }
    const uids = new Set(services.map((s) => s.metadata.uid))
    for (const slice of store.list('EndpointSlice')) {
      if (slice.metadata.labels?.[MANAGED_BY] && !uids.has(slice.metadata.ownerReferences?.[0]?.uid))
        store.delete('EndpointSlice', slice.metadata.namespace, slice.metadata.name)
    }
  },
}

/** `10.98.0.18:80,10.98.1.39:80,10.98.2.249:80 + 1 more...`, as kubectl prints an Endpoints object. */
export function formatEndpoints(ep: KObject | undefined, max = 3): string {
  const all: string[] = []
  for (const subset of ep?.subsets ?? []) {
    for (const address of subset.addresses ?? [])
      for (const port of subset.ports ?? []) all.push(`${address.ip}:${port.port}`)
  }
  if (all.length === 0) return '<none>'
  return all.length > max ? `${all.slice(0, max).join(',')} + ${all.length - max} more...` : all.join(',')
}
