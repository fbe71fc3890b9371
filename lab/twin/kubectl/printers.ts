import { formatEndpoints } from '../cluster/controllers/endpoints.ts'
import type { ResourceType } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { age } from './age.ts'
import { evaluate, formatValue } from './jsonpath.ts'

/** Headers and cells of one `kubectl get` table, wide columns included only when asked. */
export interface Table {
  headers: string[]
  rows: string[][]
}

type Printer = {
  headers: string[]
  wide: string[]
  row(o: KObject, now: number): string[]
  wideRow(o: KObject): string[]
  /** Wide columns that interleave with the others (events): -o wide prints these instead of headers + wide. */
  wideTable?: { headers: string[]; row(o: KObject, now: number): string[] }
}

const none = (value: string | undefined | null) => (value ? value : '<none>')
const selectorText = (labels: Record<string, string> | undefined) =>
  labels && Object.keys(labels).length
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>'
const containers = (o: KObject) => o.spec?.template?.spec?.containers ?? []
const workloadWide = (o: KObject) => [
  containers(o)
    .map((c: { name: string }) => c.name)
    .join(','),
  containers(o)
    .map((c: { image: string }) => c.image)
    .join(','),
  selectorText(o.spec?.selector?.matchLabels),
]

/** listWithMoreString (printers.go): three items, then ` + N more...`; none is `<unset>`. */
const listWithMore = (items: string[], max = 3) =>
  items.length > max ? `${items.slice(0, max).join(',')} + ${items.length - max} more...` : items.join(',') || '<unset>'

function nodeStatus(o: KObject): string {
  const ready = (o.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')
  const status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'
  return o.spec?.unschedulable ? `${status},SchedulingDisabled` : status
}

function nodeRoles(o: KObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort()
  return roles.length ? roles.join(',') : '<none>'
}

const address = (o: KObject, type: string) =>
  (o.status?.addresses ?? []).find((a: { type: string }) => a.type === type)?.address

function servicePorts(o: KObject): string {
  const ports = (o.spec?.ports ?? []).map((p: { port: number; nodePort?: number; protocol?: string }) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
  )
  return ports.length ? ports.join(',') : '<none>'
}

function externalIp(o: KObject): string {
  const external: string[] = o.spec?.externalIPs ?? []
  if (o.spec?.type === 'LoadBalancer') {
    const ingress = (o.status?.loadBalancer?.ingress ?? []).map(
      (i: { ip?: string; hostname?: string }) => i.ip ?? i.hostname,
    )
    const all = [...ingress, ...external]
    return all.length ? all.join(',') : '<pending>'
  }
  return external.length ? external.join(',') : '<none>'
}

const podReady = (o: KObject) => {
  const ready = (o.status?.containerStatuses ?? []).filter((s: { ready: boolean }) => s.ready).length
  return `${ready}/${(o.spec?.containers ?? []).length}`
}

/**
 * RESTARTS as printPod (pkg/printers/internalversion, 1.23) sums them, with the age of the latest container end when
 * one is known: `1 (5m ago)`.
 */
function podRestarts(o: KObject, now: number): string {
  const statuses: any[] = o.status?.containerStatuses ?? []
  const restarts = statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0)
  const ends = statuses
    .map((s) => s.lastState?.terminated?.finishedAt)
    .filter(Boolean)
    .sort()
  return ends.length ? `${restarts} (${age(ends[ends.length - 1], now)} ago)` : String(restarts)
}

/** kubectl's STATUS: a container's waiting reason (ContainerCreating) wins over the phase. */
function podStatus(o: KObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating'
  const waiting = (o.status?.containerStatuses ?? []).map((s: any) => s.state?.waiting?.reason).find(Boolean)
  return o.status?.reason ?? waiting ?? o.status?.phase ?? 'Pending'
}

/** printEvent (pkg/printers/internalversion, 1.23): LAST SEEN falls back to the first time, then to eventTime. */
function eventCells(o: KObject, now: number) {
  const first = age(o.firstTimestamp ?? o.eventTime ?? undefined, now)
  const last = o.lastTimestamp ? age(o.lastTimestamp, now) : first
  const target = o.involvedObject?.name
    ? `${String(o.involvedObject.kind).toLowerCase()}/${o.involvedObject.name}`
    : String(o.involvedObject?.kind ?? '').toLowerCase()
  const host = o.source?.host || o.reportingInstance
  const source = [o.source?.component || o.reportingController || '', ...(host ? [host] : [])].join(', ')
  return { first, last, target, source, message: String(o.message ?? '').trim() }
}

const printers: Record<string, Printer> = {
  Event: {
    headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    wide: [],
    row: (o, now) => {
      const c = eventCells(o, now)
      return [c.last, o.type ?? '', o.reason ?? '', c.target, c.message]
    },
    wideRow: () => [],
    wideTable: {
      headers: [
        'LAST SEEN',
        'TYPE',
        'REASON',
        'OBJECT',
        'SUBOBJECT',
        'SOURCE',
        'MESSAGE',
        'FIRST SEEN',
        'COUNT',
        'NAME',
      ],
      row: (o, now) => {
        const c = eventCells(o, now)
        return [
          c.last,
          o.type ?? '',
          o.reason ?? '',
          c.target,
          o.involvedObject?.fieldPath ?? '',
          c.source,
          c.message,
          c.first,
          String(o.count || 1),
          o.metadata.name,
        ]
      },
    },
  },
  Node: {
    headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    row: (o, now) => [
      o.metadata.name,
      nodeStatus(o),
      nodeRoles(o),
      age(o.metadata.creationTimestamp, now),
      o.status?.nodeInfo?.kubeletVersion ?? '',
    ],
    wideRow: (o) => [
      none(address(o, 'InternalIP')),
      none(address(o, 'ExternalIP')),
      o.status?.nodeInfo?.osImage ?? '<unknown>',
      o.status?.nodeInfo?.kernelVersion ?? '<unknown>',
      o.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>',
    ],
  },
  Pod: {
    headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    row: (o, now) => [
      o.metadata.name,
      podReady(o),
      podStatus(o),
      podRestarts(o, now),
      age(o.metadata.creationTimestamp, now),
    ],
    wideRow: (o) => [none(o.status?.podIP), none(o.spec?.nodeName), '<none>', '<none>'],
  },
  Service: {
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wide: ['SELECTOR'],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.type ?? 'ClusterIP',
      none(o.spec?.clusterIP),
      externalIp(o),
      servicePorts(o),
      age(o.metadata.creationTimestamp, now),
    ],
    wideRow: (o) => [selectorText(o.spec?.selector)],
  },
  DaemonSet: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const s = o.status ?? {}
      const n = (v: number | undefined) => String(v ?? 0)
      return [
        o.metadata.name,
        n(s.desiredNumberScheduled),
        n(s.currentNumberScheduled),
        n(s.numberReady),
        n(s.updatedNumberScheduled),
        n(s.numberAvailable),
        selectorText(o.spec?.template?.spec?.nodeSelector),
        age(o.metadata.creationTimestamp, now),
      ]
    },
    wideRow: workloadWide,
  },
  Deployment: {
    headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const s = o.status ?? {}
      return [
        o.metadata.name,
        `${s.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
        String(s.updatedReplicas ?? 0),
        String(s.availableReplicas ?? 0),
        age(o.metadata.creationTimestamp, now),
      ]
    },
    wideRow: workloadWide,
  },
  ReplicaSet: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => [
      o.metadata.name,
      String(o.spec?.replicas ?? 1),
      String(o.status?.replicas ?? 0),
      String(o.status?.readyReplicas ?? 0),
      age(o.metadata.creationTimestamp, now),
    ],
    wideRow: workloadWide,
  },
  ServiceAccount: {
    headers: ['NAME', 'SECRETS', 'AGE'],
    wide: [],
    row: (o, now) => [o.metadata.name, String((o.secrets ?? []).length), age(o.metadata.creationTimestamp, now)],
    wideRow: () => [],
  },
  ConfigMap: {
    headers: ['NAME', 'DATA', 'AGE'],
    wide: [],
    row: (o, now) => [
      o.metadata.name,
      String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length),
      age(o.metadata.creationTimestamp, now),
    ],
    wideRow: () => [],
  },
  Secret: {
    headers: ['NAME', 'TYPE', 'DATA', 'AGE'],
    wide: [],
    row: (o, now) => [
      o.metadata.name,
      o.type ?? 'Opaque',
      String(Object.keys(o.data ?? {}).length),
      age(o.metadata.creationTimestamp, now),
    ],
    wideRow: () => [],
  },
  EndpointSlice: {
    headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    wide: [],
    row: (o, now) => [
      o.metadata.name,
      o.addressType ?? '',
      listWithMore(
        (o.ports ?? []).map((p: { port?: number; name?: string }) =>
          p.port !== undefined ? String(p.port) : p.name || '*',
        ),
      ),
      listWithMore((o.endpoints ?? []).flatMap((e: { addresses: string[] }) => e.addresses)),
      age(o.metadata.creationTimestamp, now),
    ],
    wideRow: () => [],
  },
  Namespace: {
    headers: ['NAME', 'STATUS', 'AGE'],
    wide: [],
    row: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o.metadata.creationTimestamp, now)],
    wideRow: () => [],
  },
  Endpoints: {
    headers: ['NAME', 'ENDPOINTS', 'AGE'],
    wide: [],
    row: (o, now) => [o.metadata.name, formatEndpoints(o), age(o.metadata.creationTimestamp, now)],
    wideRow: () => [],
  },
  // printers.printControllerRevision (1.23): the controller as `kind.group/name`, `<none>` without one.
  ControllerRevision: {
    headers: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
    wide: [],
    row: (o, now) => {
      const owner = (
        o.metadata.ownerReferences as
          | { apiVersion: string; kind: string; name: string; controller?: boolean }[]
          | undefined
      )?.find((r) => r.controller)
      const group = owner?.apiVersion.includes('/') ? `.${owner.apiVersion.split('/')[0]}` : ''
      return [
        o.metadata.name,
        owner ? `${owner.kind.toLowerCase()}${group}/${owner.name}` : '<none>',
        String(o.revision ?? 0),
        age(o.metadata.creationTimestamp, now),
      ]
    },
    wideRow: () => [],
  },
  CustomResourceDefinition: {
    headers: ['NAME', 'CREATED AT'],
    wide: [],
    row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
    wideRow: () => [],
  },
}

/** A CRD column's cell as the API server's table converter renders it (absent values stay empty). */
function crdCell(o: KObject, column: { type: string; jsonPath: string }, now: number): string {
  const values = evaluate(o, column.jsonPath)
  if (values.length === 0 || values[0] === null) return ''
  if (column.type === 'date') return age(String(values[0]), now)
  return values.map(formatValue).join(', ')
}

/** The table `kubectl get` prints for `objects` of `type`. */
export function toTable(
  type: ResourceType,
  objects: KObject[],
  options: { wide: boolean; withNamespace: boolean; now?: number },
): Table {
  const now = options.now ?? Date.now()
  const ns = (o: KObject) => (options.withNamespace ? [o.metadata.namespace ?? ''] : [])
  const nsHeader = options.withNamespace ? ['NAMESPACE'] : []
  const printer = printers[type.kind]
  if (printer?.wideTable && options.wide) {
    const table = printer.wideTable
    return { headers: [...nsHeader, ...table.headers], rows: objects.map((o) => [...ns(o), ...table.row(o, now)]) }
  }
  if (printer) {
    return {
      headers: [...nsHeader, ...printer.headers, ...(options.wide ? printer.wide : [])],
      rows: objects.map((o) => [...ns(o), ...printer.row(o, now), ...(options.wide ? printer.wideRow(o) : [])]),
    }
  }
  const columns = (type.printerColumns ?? []).filter((c) => options.wide || !c.priority)
  const withAge = type.printerColumns === undefined || type.printerColumns.length === 0
  return {
    headers: [...nsHeader, 'NAME', ...columns.map((c) => c.name.toUpperCase()), ...(withAge ? ['AGE'] : [])],
    rows: objects.map((o) => [
      ...ns(o),
      o.metadata.name,
      ...columns.map((c) => crdCell(o, c, now)),
      ...(withAge ? [age(o.metadata.creationTimestamp, now)] : []),
    ]),
  }
}
