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
import { tabwrite } from './tabwriter.ts'

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

/**
 * kubectl's smartLabelFor (k8s.io/kubectl/pkg/describe/describe.go, 1.23): a field of letters and dashes split at
 * its camel case (fatih/camelcase: `localASN` -> local ASN, `HTTPServer` -> HTTP Server), each part title-cased or,
 * if a common acronym, upper-cased; any other field (`ipv4`, a label key `kubernetes.io/os`) as it is.
 */
export function smartLabel(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field
  const runs = field.match(/[a-z]+|[A-Z]+|[^A-Za-z]+/g) ?? []
  // An upper-case run followed by a lower-case one gives its last letter to it (camelcase.Split).
  for (let i = 0; i + 1 < runs.length; i++)
    if (/^[A-Z]+$/.test(runs[i]) && /^[a-z]/.test(runs[i + 1])) {
      runs[i + 1] = runs[i].slice(-1) + runs[i + 1]
      runs[i] = runs[i].slice(0, -1)
    }
  const acronyms = ['API', 'URL', 'UID', 'OSB', 'GUID']
  return runs
    .filter((part) => part !== '' && part !== '_')
    .map((part) =>
      acronyms.includes(part.toUpperCase()) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join(' ')
}

/**
 * printUnstructuredContent (describe.go, 1.23), as tab-separated lines for the describe tabwriter: fields sorted as
 * Go sorts strings, a map or a list as its label then its content one level deeper, a value as `Label:<tab>value`.
 */
function unstructured(content: Record<string, unknown>, level: number, path: string, skip: string[]): string {
  const indent = '  '.repeat(level)
  const scalar = (v: unknown) => (v === null || v === undefined ? '<nil>' : String(v))
  let text = ''
  for (const field of Object.keys(content).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = content[field]
    const at = `${path}.${field}`
    if (Array.isArray(value)) {
      if (skip.includes(at)) continue
      text += `${indent}${smartLabel(field)}:\n`
      for (const child of value)
        text +=
          typeof child === 'object' && child !== null
            ? unstructured(child as Record<string, unknown>, level + 1, at, skip)
            : `${indent}  ${scalar(child)}\n`
    } else if (typeof value === 'object' && value !== null) {
      if (skip.includes(at)) continue
      text += `${indent}${smartLabel(field)}:\n`
      text += unstructured(value as Record<string, unknown>, level + 1, at, skip)
    } else if (!skip.includes(at)) text += `${indent}${smartLabel(field)}:\t${scalar(value)}\n`
  }
  return text
}

/** Lines with `label:<tab>value` cells through kubectl's tabbedString writer (minwidth 0, padding 2). */
const tabbed = (text: string) =>
  tabwrite(
    text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => line.split('\t')),
    { minWidth: 0, padding: 2 },
  )

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

/**
 * The generic describer kubectl uses for objects it has no describer for (custom resources; genericDescriber in
 * describe.go, 1.23): name, namespace (empty for a cluster-scoped object), labels and annotations (without the
 * last-applied one), then the whole object but those four fields, and its events. The API server's managedFields
 * are not kept by the twin, so its Metadata section lacks the Managed Fields a real one lists.
 */
function describeGeneric(cluster: Cluster, o: KObject): string {
  const { metadata } = o
  const annotations = Object.fromEntries(
    Object.entries(metadata.annotations ?? {}).filter(([k]) => !k.endsWith('last-applied-configuration')),
  )
  const multiline = (map: Record<string, string>) => mapLines(map).split('\n').join('\n\t')
  const skip = ['.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']
  const section = eventsSection(cluster, targetOf(o), '')
  const text =
    `Name:\t${metadata.name}\nNamespace:\t${metadata.namespace ?? ''}\n` +
    `Labels:\t${multiline(metadata.labels ?? {})}\nAnnotations:\t${multiline(annotations)}\n` +
    unstructured(o as Record<string, unknown>, 0, '', skip) +
    (section ? '' : 'Events:\t<none>\n')
  return `${tabbed(text)}${section}`
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
