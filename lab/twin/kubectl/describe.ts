import type { Cluster } from '../cluster/cluster.ts'
import { formatEndpoints } from '../cluster/controllers/endpoints.ts'
import { targetOf } from '../cluster/events.ts'
import type { KObject } from '../cluster/store.ts'
import type { Args } from './args.ts'
import { describeNode } from './describe-node.ts'
import { describePod } from './describe-pod.ts'
import { eventsSection } from './describe-writer.ts'
import { requests } from './get.ts'
import { notFound, type Out } from './kubectl-error.ts'
import { checkNames, listObjects, noResources, selectionOf } from './list-objects.ts'

export { eventsSection }

/** `Name:  value` lines aligned like kubectl's describe prefix writer (values start at column 20 or after the label). */
function fields(pairs: [string, string][], indent = ''): string {
  const width = Math.max(20 - indent.length, ...pairs.map(([k]) => k.length + 2))
  const continuation = `\n${' '.repeat(indent.length + width)}`
  return pairs.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}${v.split('\n').join(continuation)}\n`).join('')
}

const mapLines = (map: Record<string, string> | undefined) => {
  const entries = Object.entries(map ?? {})
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join('\n') : '<none>'
}

/** kubectl's smartLabelFor: `nodeSelector` -> `Node Selector`, `localASN` -> `Local ASN`. */
const smartLabel = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())

/** The nested rendering kubectl uses for objects it has no describer for (custom resources). */
function unstructured(value: unknown, indent: string): string {
  if (Array.isArray(value))
    return value
      .map((item) =>
        typeof item === 'object' && item !== null ? unstructured(item, indent) : `${indent}${String(item)}\n`,
      )
      .join('')
  if (typeof value !== 'object' || value === null) return `${indent}${String(value)}\n`
  return Object.entries(value)
    .map(([k, v]) =>
      typeof v === 'object' && v !== null
        ? `${indent}${smartLabel(k)}:\n${unstructured(v, `${indent}  `)}`
        : `${indent}${smartLabel(k)}:  ${String(v)}\n`,
    )
    .join('')
}

function describeService(cluster: Cluster, o: KObject): string {
  const ports = (o.spec.ports ?? []) as any[]
  const ingress = (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip)
  const section = eventsSection(cluster, targetOf(o), '')
  return (
    fields([
      ['Name', o.metadata.name],
      ['Namespace', o.metadata.namespace ?? ''],
      ['Labels', mapLines(o.metadata.labels)],
      [
        'Selector',
        Object.entries(o.spec.selector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
      ],
      ['Type', o.spec.type],
      ['IP Family Policy', 'SingleStack'],
      ['IP Families', 'IPv4'],
      ['IP', o.spec.clusterIP],
      ['IPs', o.spec.clusterIP],
      ...(ingress.length ? ([['LoadBalancer Ingress', ingress.join(', ')]] as [string, string][]) : []),
      ...ports.flatMap((p): [string, string][] => [
        ['Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol}`],
        ['TargetPort', `${p.targetPort}/${p.protocol}`],
        ...(p.nodePort
          ? ([['NodePort', `${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol}`]] as [string, string][])
          : []),
      ]),
      ['Endpoints', formatEndpoints(cluster.store.get('Endpoints', o.metadata.namespace, o.metadata.name))],
      ['Session Affinity', o.spec.sessionAffinity ?? 'None'],
      ...(o.spec.type === 'LoadBalancer' ? ([['External Traffic Policy', 'Cluster']] as [string, string][]) : []),
      ...(section ? [] : ([['Events', '<none>']] as [string, string][])),
    ]) + section
  )
}

function describeGeneric(cluster: Cluster, o: KObject): string {
  const { apiVersion, kind, metadata, ...rest } = o
  return (
    fields(
      [
        ['Name', metadata.name],
        ...(metadata.namespace ? ([['Namespace', metadata.namespace]] as [string, string][]) : []),
        ['Labels', mapLines(metadata.labels)],
        [
          'Annotations',
          mapLines(
            Object.fromEntries(
              Object.entries(metadata.annotations ?? {}).filter(([k]) => !k.endsWith('last-applied-configuration')),
            ),
          ),
        ],
        ['API Version', apiVersion],
        ['Kind', kind],
      ],
      '',
    ) +
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
  const reqs = requests(cluster, args.positional, 'describe')
  for (const { type, names } of reqs) {
    checkNames(selection, names)
    const ns = type.namespaced ? selection.namespace : undefined
    const objects = names.length
      ? names.map((n) => cluster.store.get(type.kind, ns, n) ?? n)
      : listObjects(cluster, type, selection)
    for (const o of objects) {
      if (typeof o === 'string') {
        out.stderr(`${notFound(type, o)}\n`)
        exitCode = 1
      } else if (type.kind === 'Node') blocks.push(describeNode(cluster, o))
      else if (type.kind === 'Pod') blocks.push(describePod(cluster, o))
      else if (type.kind === 'Service') blocks.push(describeService(cluster, o))
      else blocks.push(describeGeneric(cluster, o))
    }
  }
  if (blocks.length === 0 && exitCode === 0)
    out.stderr(
      noResources(
        selection,
        reqs.map((r) => r.type),
      ),
    )
  out.stdout(blocks.join('\n\n'))
  return exitCode
}
