import type { Cluster } from '../cluster/cluster.ts'
import { formatEndpoints } from '../cluster/controllers/endpoints.ts'
import { targetOf } from '../cluster/events.ts'
import type { KObject } from '../cluster/store.ts'
import type { Args } from './args.ts'
import { describeNode } from './describe-node.ts'
import { describePod } from './describe-pod.ts'
import { DescribeWriter, eventsSection } from './describe-writer.ts'
import { requests } from './get.ts'
import { notFound, type Out } from './kubectl-error.ts'
import { checkNames, listObjects, noResources, selectionOf } from './list-objects.ts'

export { eventsSection }

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
 * printUnstructuredContent (describe.go, 1.23): fields sorted as Go sorts strings, a map or a list as its label then
 * its content one level deeper, a value as `Label:<tab>value`.
 */
function unstructured(
  w: DescribeWriter,
  content: Record<string, unknown>,
  level: number,
  path: string,
  skip: string[],
) {
  const scalar = (v: unknown) => (v === null || v === undefined ? '<nil>' : String(v))
  for (const field of Object.keys(content).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = content[field]
    const at = `${path}.${field}`
    if (skip.includes(at)) continue
    if (Array.isArray(value)) {
      w.line(`${smartLabel(field)}:`, level)
      for (const child of value)
        if (typeof child === 'object' && child !== null)
          unstructured(w, child as Record<string, unknown>, level + 1, at, skip)
        else w.line(scalar(child), level + 1)
    } else if (typeof value === 'object' && value !== null) {
      w.line(`${smartLabel(field)}:`, level)
      unstructured(w, value as Record<string, unknown>, level + 1, at, skip)
    } else w.line(`${smartLabel(field)}:\t${scalar(value)}`, level)
  }
}

/** describeService (describe.go, 1.23; its layout checked against the real kubectl v1.23.0 binary). */
function describeService(cluster: Cluster, o: KObject): string {
  const ports = (o.spec.ports ?? []) as any[]
  const ingress = (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip)
  const w = new DescribeWriter()
    .line(`Name:\t${o.metadata.name}`)
    .line(`Namespace:\t${o.metadata.namespace ?? ''}`)
    .labels('Labels', o.metadata.labels)
    .annotations(o.metadata.annotations)
    .line(
      `Selector:\t${
        Object.entries(o.spec.selector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>'
      }`,
    )
    .line(`Type:\t${o.spec.type}`)
    .line('IP Family Policy:\tSingleStack')
    .line('IP Families:\tIPv4')
    .line(`IP:\t${o.spec.clusterIP}`)
    .line(`IPs:\t${o.spec.clusterIP}`)
  if (ingress.length) w.line(`LoadBalancer Ingress:\t${ingress.join(', ')}`)
  for (const p of ports) {
    w.line(`Port:\t${p.name ?? '<unset>'}  ${p.port}/${p.protocol}`).line(`TargetPort:\t${p.targetPort}/${p.protocol}`)
    if (p.nodePort) w.line(`NodePort:\t${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol}`)
  }
  w.line(`Endpoints:\t${formatEndpoints(cluster.store.get('Endpoints', o.metadata.namespace, o.metadata.name))}`)
  w.line(`Session Affinity:\t${o.spec.sessionAffinity ?? 'None'}`)
  if (o.spec.type === 'LoadBalancer') w.line('External Traffic Policy:\tCluster')
  return w.events(cluster, targetOf(o), Date.now()).toString()
}

/**
 * The generic describer kubectl uses for objects it has no describer for (custom resources; genericDescriber in
 * describe.go, 1.23): name, namespace (empty for a cluster-scoped object), labels and annotations (without the
 * last-applied one), then the whole object but those four fields, and its events (layout checked against the real
 * kubectl v1.23.0 binary). The API server's managedFields are not kept by the twin, so its Metadata section lacks the
 * Managed Fields a real one lists between Generation and Resource Version.
 */
function describeGeneric(cluster: Cluster, o: KObject): string {
  const w = new DescribeWriter()
    .line(`Name:\t${o.metadata.name}`)
    .line(`Namespace:\t${o.metadata.namespace ?? ''}`)
    .labels('Labels', o.metadata.labels)
    .annotations(o.metadata.annotations)
  unstructured(w, o as Record<string, unknown>, 0, '', [
    '.metadata.name',
    '.metadata.namespace',
    '.metadata.labels',
    '.metadata.annotations',
  ])
  return w.events(cluster, targetOf(o), Date.now()).toString()
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
