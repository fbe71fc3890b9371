import type { Cluster } from '../cluster/cluster.ts'
import { nodeTarget } from '../cluster/events.ts'
import { nodeStoppedAt } from '../cluster/node-power.ts'
import type { KObject } from '../cluster/store.ts'
import { age } from './age.ts'
import { DescribeWriter, rfc1123 } from './describe-writer.ts'

/**
 * `kubectl describe node` as kubectl 1.23 prints it: kubernetes/kubectl pkg/describe/describe.go describeNode,
 * describeNodeLease, describeNodeResource, printLabelsMultiline, printNodeTaintsMultiline and DescribeEvents, all
 * through one tabwriter (describe-writer.ts).
 */
export function describeNode(cluster: Cluster, node: KObject, now = Date.now()): string {
  const w = new DescribeWriter()
  const { metadata, spec = {}, status = {} } = node
  const roles = Object.keys(metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort()
  w.line(`Name:\t${metadata.name}`).line(`Roles:\t${roles.join(',') || '<none>'}`)
  w.labels('Labels', metadata.labels).annotations(metadata.annotations)
  w.line(`CreationTimestamp:\t${rfc1123(metadata.creationTimestamp)}`)
  w.multiline(
    'Taints',
    (spec.taints ?? []).map((t: any) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
  )
  w.line(`Unschedulable:\t${Boolean(spec.unschedulable)}`)
  // The kubelet's Lease in kube-node-lease, which the twin does not store: held by the node since it registered,
  // renewed every 10 s (the kubelet's renewInterval), so the last renewal is at most 10 s old; a stopped node's
  // kubelet renewed it last before it stopped.
  const created = Date.parse(metadata.creationTimestamp ?? '') || now
  const until = nodeStoppedAt(cluster.lab, metadata.name) ?? now
  const renewed = new Date(until - ((until - created) % 10_000)).toISOString()
  w.line('Lease:')
    .line(`HolderIdentity:\t${metadata.name}`, 1)
    .line(`AcquireTime:\t<unset>`, 1)
    .line(`RenewTime:\t${rfc1123(renewed)}`, 1)
  w.line('Conditions:').line('Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage', 1)
  w.line('----\t------\t-----------------\t------------------\t------\t-------', 1)
  // lastHeartbeatTime moves with each status report (every 5 min when nothing changes, nodeStatusReportFrequency).
  const heartbeat = new Date(now - ((now - created) % 300_000)).toISOString()
  for (const c of nodeConditions(status.conditions ?? [])) {
    w.line(
      `${c.type} \t${c.status} \t${rfc1123(c.lastHeartbeatTime ?? heartbeat)} \t${rfc1123(c.lastTransitionTime ?? metadata.creationTimestamp)} \t${c.reason ?? ''} \t${c.message ?? ''}`,
      1,
    )
  }
  w.line('Addresses:')
  for (const a of status.addresses ?? []) w.line(`${a.type}:\t${a.address}`, 1)
  const capacity: Record<string, string> = status.capacity ?? {}
  const allocatable: Record<string, string> = status.allocatable ?? {}
  for (const [title, list] of [
    ['Capacity', capacity],
    ['Allocatable', allocatable],
  ] as const) {
    if (Object.keys(list).length === 0) continue
    w.line(`${title}:`)
    for (const name of Object.keys(list).sort()) w.line(`  ${name}:\t${list[name]}`)
  }
  const info = status.nodeInfo ?? {}
  w.line('System Info:')
  for (const [label, key] of NODE_INFO) w.line(`  ${label}:\t${info[key] ?? ''}`)
  if (spec.podCIDR) w.line(`PodCIDR:\t${spec.podCIDR}`)
  if (spec.podCIDRs?.length) w.line(`PodCIDRs:\t${spec.podCIDRs.join(',')}`)
  if (spec.providerID) w.line(`ProviderID:\t${spec.providerID}`)
  nodeResources(w, cluster, node, Object.keys(allocatable).length ? allocatable : capacity, now)
  return w.events(cluster, nodeTarget(node), now).toString()
}

const NODE_INFO = [
  ['Machine ID', 'machineID'],
  ['System UUID', 'systemUUID'],
  ['Boot ID', 'bootID'],
  ['Kernel Version', 'kernelVersion'],
  ['OS Image', 'osImage'],
  ['Operating System', 'operatingSystem'],
  ['Architecture', 'architecture'],
  ['Container Runtime Version', 'containerRuntimeVersion'],
  ['Kubelet Version', 'kubeletVersion'],
  ['Kube-Proxy Version', 'kubeProxyVersion'],
] as const

/**
 * The kubelet always reports the three pressure conditions before Ready (kubelet_node_status.go setters); the twin's
 * store keeps Ready only, so the others are the healthy kubelet's.
 */
function nodeConditions(stored: any[]): any[] {
  const healthy = [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
  ]
  return [...healthy.filter((h) => !stored.some((c) => c.type === h.type)), ...stored]
}

/** A resource.Quantity in its base unit (cores for cpu, bytes for memory); decimal and binary suffixes. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q))
  if (!m) return 0
  const factor: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  }
  return Number(m[1]) * (factor[m[2]] ?? 1)
}

/** Quantity.String() of a sum: cpu in whole cores or millicores, memory in the largest binary unit that divides it. */
function formatQuantity(resource: string, value: number): string {
  if (value === 0) return '0'
  if (resource === 'cpu') return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`
  for (const [suffix, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (value % size === 0) return `${value / size}${suffix}`
  return String(value)
}

/** PodRequestsAndLimits: the sum over a pod's containers (no init containers or overhead in the twin). */
function podTotals(pod: KObject, kind: 'requests' | 'limits', resource: string): number {
  return (pod.spec?.containers ?? []).reduce(
    (sum: number, c: any) => sum + parseQuantity(c.resources?.[kind]?.[resource]),
    0,
  )
}

/** describeNodeResource: the node's non-terminated pods (by namespace and name, as the API lists them) and their sums. */
function nodeResources(
  w: DescribeWriter,
  cluster: Cluster,
  node: KObject,
  allocatable: Record<string, string>,
  now: number,
): void {
  const pods = cluster.store
    .list('Pod')
    .filter(
      (p) => p.spec?.nodeName === node.metadata.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    )
  const cell = (resource: string, value: number) => {
    const total = parseQuantity(allocatable[resource])
    return `${formatQuantity(resource, value)} (${total ? Math.trunc((value / total) * 100) : 0}%)`
  }
  w.line(`Non-terminated Pods:\t(${pods.length} in total)`)
  w.line('Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge', 1)
  w.line('---------\t----\t\t------------\t----------\t---------------\t-------------\t---', 1)
  for (const p of pods) {
    const [cpuReq, cpuLim, memReq, memLim] = [
      ['requests', 'cpu'],
      ['limits', 'cpu'],
      ['requests', 'memory'],
      ['limits', 'memory'],
    ].map(([k, r]) => cell(r, podTotals(p, k as 'requests', r)))
    w.line(
      `${p.metadata.namespace}\t${p.metadata.name}\t\t${cpuReq}\t${cpuLim}\t${memReq}\t${memLim}\t${age(p.metadata.creationTimestamp, now)}`,
      1,
    )
  }
  w.line('Allocated resources:').line('(Total limits may be over 100 percent, i.e., overcommitted.)', 1)
  w.line('Resource\tRequests\tLimits', 1).line('--------\t--------\t------', 1)
  const hugepages = Object.keys(allocatable)
    .filter((r) => r.startsWith('hugepages-'))
    .sort()
  for (const r of ['cpu', 'memory', 'ephemeral-storage', ...hugepages]) {
    const sum = (kind: 'requests' | 'limits') => pods.reduce((s, p) => s + podTotals(p, kind, r), 0)
    w.line(`${r}\t${cell(r, sum('requests'))}\t${cell(r, sum('limits'))}`, 1)
  }
}
