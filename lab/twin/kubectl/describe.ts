import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import type { Args } from './args.ts'
import { checkNames, listObjects, noResources, selectionOf } from './list-objects.ts'
import { requests } from './get.ts'
import { notFound, type Out } from './kubectl-error.ts'
import { internalIp } from '../cluster/controllers/scheduling.ts'
import { formatEndpoints } from '../cluster/controllers/endpoints.ts'
import { eventsAbout, nodeTarget, targetOf, type EventTarget } from '../cluster/events.ts'
import { humanDuration } from './age.ts'
import { tabwrite } from './tabwriter.ts'

/** Go's time.RFC1123Z as kubectl describe prints timestamps: `Thu, 26 Nov 2026 07:00:00 +0000`. */
const rfc1123 = (iso: string | undefined) => (iso ? new Date(iso).toUTCString().replace('GMT', '+0000') : '<unknown>')

/** `Name:  value` lines aligned like kubectl's describe prefix writer (values start at column 20 or after the label). */
function fields(pairs: [string, string][], indent = ''): string {
  const width = Math.max(20 - indent.length, ...pairs.map(([k]) => k.length + 2))
  const continuation = '\n' + ' '.repeat(indent.length + width)
  return pairs.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}${v.split('\n').join(continuation)}\n`).join('')
}

const since = (timestamp: string | undefined, now: number) => (timestamp ? humanDuration(now - Date.parse(timestamp)) : '<unknown>')

/**
 * The Events section (describe.go DescribeEvents, 1.23): `none` when there are none (its tab aligns with the fields
 * above it), else a table of its own (the prefix writer is flushed first) in describe's tabwriter (padding 2): the
 * events oldest last-seen first, a repeated one as `<last> (xN over <first>)`, From the source component only.
 */
export function eventsSection(cluster: Cluster, target: EventTarget, none: string, now = Date.now()): string {
  const events = eventsAbout(cluster.store, target)
  if (events.length === 0) return none
  const rows = events.map(e => {
    const first = since(e.firstTimestamp ?? e.eventTime ?? undefined, now)
    const interval = (e.count ?? 1) > 1 ? `${since(e.lastTimestamp, now)} (x${e.count} over ${first})` : first
    return [`  ${e.type}`, e.reason, interval, e.source?.component || e.reportingController || '', String(e.message ?? '').trim()]
  })
  return 'Events:\n' + tabwrite([['  Type', 'Reason', 'Age', 'From', 'Message'], ['  ----', '------', '----', '----', '-------'], ...rows], { minWidth: 0, padding: 2 })
}

const mapLines = (map: Record<string, string> | undefined) => {
  const entries = Object.entries(map ?? {})
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join('\n') : '<none>'
}

/** kubectl's smartLabelFor: `nodeSelector` -> `Node Selector`, `localASN` -> `Local ASN`. */
const smartLabel = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, c => c.toUpperCase())

/** The nested rendering kubectl uses for objects it has no describer for (custom resources). */
function unstructured(value: unknown, indent: string): string {
  if (Array.isArray(value)) return value.map(item => (typeof item === 'object' && item !== null ? unstructured(item, indent) : `${indent}${String(item)}\n`)).join('')
  if (typeof value !== 'object' || value === null) return `${indent}${String(value)}\n`
  return Object.entries(value)
    .map(([k, v]) => (typeof v === 'object' && v !== null ? `${indent}${smartLabel(k)}:\n${unstructured(v, indent + '  ')}` : `${indent}${smartLabel(k)}:  ${String(v)}\n`))
    .join('')
}

function describeNode(cluster: Cluster, o: KObject): string {
  const pods = cluster.store.list('Pod').filter(p => p.spec.nodeName === o.metadata.name)
  const roles = Object.keys(o.metadata.labels ?? {}).filter(k => k.startsWith('node-role.kubernetes.io/')).map(k => k.split('/')[1])
  const conditions = (o.status.conditions ?? []).map((c: any) => `  ${c.type.padEnd(16)}${c.status.padEnd(8)}${(c.reason ?? '').padEnd(20)}${c.message ?? ''}\n`).join('')
  const taints = (o.spec.taints ?? []).map((t: any) => `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`)
  const info = o.status.nodeInfo ?? {}
  return (
    fields([
      ['Name', o.metadata.name],
      ['Roles', roles.length ? roles.sort().join(',') : '<none>'],
      ['Labels', mapLines(o.metadata.labels)],
      ['Annotations', mapLines(o.metadata.annotations)],
      ['CreationTimestamp', rfc1123(o.metadata.creationTimestamp)],
      ['Taints', taints.length ? taints.join('\n') : '<none>'],
      ['Unschedulable', String(Boolean(o.spec.unschedulable))],
    ]) +
    `Conditions:\n  Type            Status  Reason              Message\n  ----            ------  ------              -------\n${conditions}` +
    `Addresses:\n${(o.status.addresses ?? []).map((a: any) => `  ${a.type}:  ${a.address}\n`).join('')}` +
    `System Info:\n${fields([['Kernel Version', info.kernelVersion], ['OS Image', info.osImage], ['Container Runtime Version', info.containerRuntimeVersion], ['Kubelet Version', info.kubeletVersion]], '  ')}` +
    fields([['PodCIDR', o.spec.podCIDR ?? ''], ['PodCIDRs', (o.spec.podCIDRs ?? []).join(',')], ['Non-terminated Pods', `(${pods.length} in total)`]]) +
    pods.map(p => `  ${(p.metadata.namespace ?? '').padEnd(20)}${p.metadata.name}\n`).join('') +
    eventsSection(cluster, nodeTarget(o), 'Events:              <none>\n')
  )
}

function describePod(cluster: Cluster, o: KObject): string {
  const node = cluster.store.get('Node', undefined, o.spec.nodeName ?? '')
  const owner = o.metadata.ownerReferences?.[0]
  return (
    fields([
      ['Name', o.metadata.name],
      ['Namespace', o.metadata.namespace ?? ''],
      ['Priority', '0'],
      ['Node', node ? `${node.metadata.name}/${internalIp(node) ?? ''}` : '<none>'],
      ['Start Time', rfc1123(o.status?.startTime)],
      ['Labels', mapLines(o.metadata.labels)],
      ['Status', o.status?.phase ?? 'Pending'],
      ['IP', o.status?.podIP ?? ''],
      ['Controlled By', owner ? `${owner.kind}/${owner.name}` : '<none>'],
    ], '') +
    `Containers:\n${(o.spec.containers ?? []).map((c: any) => `  ${c.name}:\n    Image:          ${c.image}\n`).join('')}` +
    `Node-Selectors:  ${mapLines(o.spec.nodeSelector)}\n` +
    eventsSection(cluster, targetOf(o), 'Events:          <none>\n')
  )
}

function describeService(cluster: Cluster, o: KObject): string {
  const ports = (o.spec.ports ?? []) as any[]
  const ingress = (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip)
  const section = eventsSection(cluster, targetOf(o), '')
  return fields([
    ['Name', o.metadata.name],
    ['Namespace', o.metadata.namespace ?? ''],
    ['Labels', mapLines(o.metadata.labels)],
    ['Selector', Object.entries(o.spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'],
    ['Type', o.spec.type],
    ['IP Family Policy', 'SingleStack'],
    ['IP Families', 'IPv4'],
    ['IP', o.spec.clusterIP],
    ['IPs', o.spec.clusterIP],
    ...(ingress.length ? ([['LoadBalancer Ingress', ingress.join(', ')]] as [string, string][]) : []),
    ...ports.flatMap((p): [string, string][] => [
      ['Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol}`],
      ['TargetPort', `${p.targetPort}/${p.protocol}`],
      ...(p.nodePort ? ([['NodePort', `${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol}`]] as [string, string][]) : []),
    ]),
    ['Endpoints', formatEndpoints(cluster.store.get('Endpoints', o.metadata.namespace, o.metadata.name))],
    ['Session Affinity', o.spec.sessionAffinity ?? 'None'],
    ...(o.spec.type === 'LoadBalancer' ? ([['External Traffic Policy', 'Cluster']] as [string, string][]) : []),
    ...(section ? [] : ([['Events', '<none>']] as [string, string][])),
  ]) + section
}

function describeGeneric(cluster: Cluster, o: KObject): string {
  const { apiVersion, kind, metadata, ...rest } = o
  return (
    fields([
      ['Name', metadata.name],
      ...(metadata.namespace ? ([['Namespace', metadata.namespace]] as [string, string][]) : []),
      ['Labels', mapLines(metadata.labels)],
      ['Annotations', mapLines(Object.fromEntries(Object.entries(metadata.annotations ?? {}).filter(([k]) => !k.endsWith('last-applied-configuration'))))],
      ['API Version', apiVersion],
      ['Kind', kind],
    ], '') +
    unstructured(rest, '') +
    eventsSection(cluster, targetOf(o), 'Events:  <none>\n')
  )
}

/** `kubectl describe TYPE [NAME...]`: nodes, pods and services like kubectl's describers, the rest generically. */
export async function describe(cluster: Cluster, args: Args, out: Out): Promise<number> {
  await cluster.settle()
  const selection = selectionOf(args)
  let exitCode = 0
  const blocks: string[] = []
  const reqs = requests(cluster, args.positional)
  for (const { type, names } of reqs) {
    checkNames(selection, names)
    const ns = type.namespaced ? selection.namespace : undefined
    const objects = names.length ? names.map(n => cluster.store.get(type.kind, ns, n) ?? n) : listObjects(cluster, type, selection)
    for (const o of objects) {
      if (typeof o === 'string') {
        out.stderr(notFound(type, o) + '\n')
        exitCode = 1
      } else if (type.kind === 'Node') blocks.push(describeNode(cluster, o))
      else if (type.kind === 'Pod') blocks.push(describePod(cluster, o))
      else if (type.kind === 'Service') blocks.push(describeService(cluster, o))
      else blocks.push(describeGeneric(cluster, o))
    }
  }
  if (blocks.length === 0 && exitCode === 0) out.stderr(noResources(selection, reqs.map(r => r.type)))
  out.stdout(blocks.join('\n\n'))
  return exitCode
}
