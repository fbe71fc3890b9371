import { createHash } from 'node:crypto'
import { withApiDefaults } from '../cluster/api-defaults.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { targetOf } from '../cluster/events.ts'
import type { KObject } from '../cluster/store.ts'
import { DescribeWriter, rfc1123 } from './describe-writer.ts'

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'
const digest = (seed: string) => createHash('sha256').update(seed).digest()

/**
 * The ServiceAccount admission plugin's token volume (`kube-api-access-<5 chars>`), which the twin's store does not
 * keep: its suffix derives from the pod, so every describe of one pod names the same volume.
 */
export function apiAccessVolume(pod: KObject): string {
  const d = digest(`${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.creationTimestamp}`)
  return `kube-api-access-${[...d.subarray(0, 5)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`
}

/** containerd's 64-hex container id; the twin runs no containerd, so a stable one per pod and container. */
const containerId = (pod: KObject, name: string) =>
  `containerd://${digest(`container/${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.creationTimestamp}/${name}`).toString('hex')}`

/** The repo digest containerd reports (`docker.io/library/nginx@sha256:...`): the registry's digest is unknown offline, so one derived from the image. */
function imageId(image: string): string {
  const repo = image.split('@')[0].replace(/:[^:/]+$/, '')
  const first = repo.split('/')[0]
  const qualified =
    repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
      ? repo
      : `docker.io/${repo.includes('/') ? '' : 'library/'}${repo}`
  return `${qualified}@sha256:${digest(`image/${image}`).toString('hex')}`
}

/**
 * `kubectl describe pod` as kubectl 1.23 prints it: kubernetes/kubectl pkg/describe/describe.go describePod,
 * describeContainers, describeVolumes (printProjectedVolumeSource with 1.23's ConfigMapOptional), printLabelsMultiline,
 * printPodTolerationsMultiline and DescribeEvents. The pod is read with the API server's defaults (priority, the
 * default tolerations) as `kubectl get -o yaml` shows it.
 */
export function describePod(cluster: Cluster, stored: KObject, now = Date.now()): string {
  const pod = withApiDefaults(stored)
  const { metadata, spec, status = {} } = pod
  const w = new DescribeWriter()
  w.line(`Name:\t${metadata.name}`).line(`Namespace:\t${metadata.namespace}`)
  if (spec.priority !== undefined) w.line(`Priority:\t${spec.priority}`)
  if (spec.priorityClassName) w.line(`Priority Class Name:\t${spec.priorityClassName}`)
  w.line(`Node:\t${spec.nodeName ? `${spec.nodeName}/${status.hostIP ?? ''}` : '<none>'}`)
  if (status.startTime) w.line(`Start Time:\t${rfc1123(status.startTime)}`)
  w.labels('Labels', metadata.labels).annotations(metadata.annotations)
  w.line(`Status:\t${status.phase ?? 'Pending'}`)
  if (status.reason) w.line(`Reason:\t${status.reason}`)
  if (status.message) w.line(`Message:\t${status.message}`)
  w.line(`IP:\t${status.podIP ?? ''}`)
  if (status.podIPs?.length) {
    w.line('IPs:')
    for (const ip of status.podIPs) w.line(`IP:\t${ip.ip}`, 1)
  } else w.line('IPs:\t<none>')
  const owner = metadata.ownerReferences?.find((r: any) => r.controller !== false)
  if (owner) w.line(`Controlled By:\t${owner.kind}/${owner.name}`)
  const volume = apiAccessVolume(pod)
  describeContainers(w, spec.containers ?? [], { space: '', pod, tokenVolume: volume })
  const conditions = podConditions(status.conditions ?? [])
  if (conditions.length) {
    w.line('Conditions:').line('Type\tStatus', 1)
    for (const c of conditions) w.line(`${c.type} \t${c.status} `, 1)
  }
  w.line('Volumes:').line(`${volume}:`, 1)
  w.line('Type:\tProjected (a volume that contains injected data from multiple sources)', 2)
  w.line('TokenExpirationSeconds:\t3607', 2)
    .line('ConfigMapName:\tkube-root-ca.crt', 2)
    .line('ConfigMapOptional:\t<nil>', 2)
    .line('DownwardAPI:\ttrue', 2)
  w.line(`QoS Class:\t${qosClass(spec.containers ?? [])}`)
  w.labels('Node-Selectors', spec.nodeSelector)
  // Sorted by key, as printTolerationsMultilineWithIndent sorts them (sort.Slice on Key).
  const tolerations = [...(spec.tolerations ?? [])].sort((a, b) =>
    (a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0,
  )
  w.multiline('Tolerations', tolerations.map(toleration))
  return w.events(cluster, targetOf(stored), now).toString()
}

/** Where describeContainers writes: the `space` before its label (`  ` inside a pod template), the pod whose statuses it shows, the token volume every container of a pod mounts. */
export interface ContainersContext {
  space: '' | '  '
  pod?: KObject
  tokenVolume?: string
}

/**
 * describeContainers (describe.go, 1.23): a pod's containers with the kubelet's status and the token volume's mount,
 * or a template's (DescribePodTemplate: the label indented, the names one space further, `Mounts: <none>`).
 */
export function describeContainers(
  w: DescribeWriter,
  list: any[],
  { space, pod, tokenVolume }: ContainersContext,
): void {
  const statuses = new Map<string, any>((pod?.status?.containerStatuses ?? []).map((s: any) => [s.name, s]))
  w.line(`${space}Containers:${list.length ? '' : ' <none>'}`)
  for (const c of list) {
    const s = statuses.get(c.name)
    w.line(`${space ? ' ' : ''}${c.name}:`, 1)
    if (s) w.line(`Container ID:\t${s.state?.running ? containerId(pod!, c.name) : ''}`, 2)
    w.line(`Image:\t${c.image}`, 2)
    if (s) w.line(`Image ID:\t${s.state?.running ? imageId(c.image) : ''}`, 2)
    const ports = (c.ports ?? []) as any[]
    const portList = (key: string) => ports.map((p) => `${p[key] ?? 0}/${p.protocol ?? 'TCP'}`).join(', ')
    w.line(`${ports.length > 1 ? 'Ports' : 'Port'}:\t${portList('containerPort') || '<none>'}`, 2)
    w.line(`${ports.length > 1 ? 'Host Ports' : 'Host Port'}:\t${portList('hostPort') || '<none>'}`, 2)
    for (const [title, list] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (!list?.length) continue
      w.line(`${title}:`, 2)
      for (const part of list as string[]) for (const line of part.split('\n')) w.line(line, 3)
    }
    if (s) {
      if (s.state?.running) w.line('State:\tRunning', 2).line(`Started:\t${rfc1123(s.state.running.startedAt)}`, 3)
      else {
        w.line('State:\tWaiting', 2)
        if (s.state?.waiting?.reason) w.line(`Reason:\t${s.state.waiting.reason}`, 3)
      }
      w.line(`Ready:\t${s.ready ? 'True' : 'False'}`, 2).line(`Restart Count:\t${s.restartCount ?? 0}`, 2)
    }
    for (const kind of ['limits', 'requests'] as const) {
      const list = c.resources?.[kind] ?? {}
      if (Object.keys(list).length === 0) continue
      w.line(`${kind === 'limits' ? 'Limits' : 'Requests'}:`, 2)
      for (const name of Object.keys(list).sort()) w.line(`${name}:\t${list[name]}`, 3)
    }
    const env = (c.env ?? []) as any[]
    w.line(env.length ? 'Environment:' : 'Environment:\t<none>', 2)
    for (const e of env) w.line(`${e.name}:\t${e.value ?? ''}`, 3)
    const mounts = [
      ...(c.volumeMounts ?? []),
      ...(tokenVolume
        ? [{ name: tokenVolume, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]
        : []),
    ]
    w.line(mounts.length ? 'Mounts:' : 'Mounts:\t<none>', 2)
    for (const m of mounts.sort((a, b) => a.mountPath.localeCompare(b.mountPath)))
      w.line(`${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})`, 3)
  }
}

/**
 * The kubelet's four pod conditions in its order (status_manager generatePodStatus): the twin stores Ready and
 * PodScheduled; with no init containers Initialized is True once scheduled, and ContainersReady follows Ready.
 */
function podConditions(stored: any[]): { type: string; status: string }[] {
  const find = (type: string) => stored.find((c) => c.type === type)
  const scheduled = find('PodScheduled')
  if (scheduled?.status !== 'True') return stored
  const ready = find('Ready')?.status ?? 'False'
  return [
    { type: 'Initialized', status: find('Initialized')?.status ?? 'True' },
    { type: 'Ready', status: ready },
    { type: 'ContainersReady', status: find('ContainersReady')?.status ?? ready },
    { type: 'PodScheduled', status: 'True' },
  ]
}

/** qos.GetPodQOS: BestEffort without requests or limits, Guaranteed when every container's limits equal its requests. */
function qosClass(list: any[]): string {
  const resources = list.map((c) => ({ requests: c.resources?.requests ?? {}, limits: c.resources?.limits ?? {} }))
  if (resources.every((r) => Object.keys(r.requests).length === 0 && Object.keys(r.limits).length === 0))
    return 'BestEffort'
  const guaranteed = resources.every((r) =>
    ['cpu', 'memory'].every((k) => r.limits[k] !== undefined && (r.requests[k] ?? r.limits[k]) === r.limits[k]),
  )
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

/** printTolerationsMultilineWithIndent: `key[=value][:effect][ op=Exists][ for Ns]`. */
function toleration(t: any): string {
  let text = `${t.key ?? ''}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`
  if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists'
  if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`
  return text
}
