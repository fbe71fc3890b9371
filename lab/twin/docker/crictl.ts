import { createHash } from 'node:crypto'
import { clusterOf } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { humanDuration } from './human-duration.ts'

/**
 * `crictl ps [-a] [-q]` and `crictl pods [-q]` in a kind node (`docker exec NODE crictl ...`): the node's pods and
 * their containers from the cluster's store, as containerd's CRI lists the sandboxes and containers the kubelet
 * runs there. Columns as crictl 1.23 (the kindest/node v1.23 image's; cri-tools cmd/crictl/container.go and
 * sandbox.go): a tabwriter of min width 20, padding 3, IDs cut to 13 characters unless --no-trunc.
 */
const USAGE =
  "The twin's crictl in a kind node lists the node's pods and containers: crictl ps [-a] [-q], crictl pods [-q]. kubectl logs, describe and exec act on them."

const hash = (text: string) => createHash('sha256').update(text).digest('hex')

/** Go's tabwriter as crictl sets it up: each cell but the last padded to max(20, widest + 3). */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(20, ...rows.map((r) => r[c].length + 3)))
  return rows
    .map((r) => `${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('')}\n`)
    .join('')
}

const age = (pod: KObject, now: number) =>
  `${humanDuration(now - Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? ''))} ago`

/** The pods the node's kubelet runs: bound to it, past ContainerCreating (a sandbox exists only with networking). */
function nodePods(lab: TwinContext, node: ContainerInfo): KObject[] {
  return clusterOf(lab)
    .store.list('Pod')
    .filter((pod) => pod.spec?.nodeName === node.name && pod.status?.phase === 'Running')
}

export function crictl(io: ToolIO, lab: TwinContext, node: ContainerInfo, argv: string[]): number {
  const [command, ...flags] = argv
  const quiet = flags.includes('-q') || flags.includes('--quiet')
  const truncate = !flags.includes('--no-trunc')
  const known = new Set(['-q', '--quiet', '--no-trunc', ...(command === 'ps' ? ['-a', '--all'] : [])])
  const refused = flags.find((flag) => !known.has(flag))
  if (command !== 'ps' && command !== 'pods') throw new NotEmulatedError('crictl', command ?? '', USAGE)
  if (refused) throw new NotEmulatedError('crictl', `${command} ${refused}`, USAGE)
  const id = (text: string) => (truncate ? text.slice(0, 13) : text)
  const now = Date.now()
  const pods = nodePods(lab, node)
  const sandbox = (pod: KObject) => hash(`sandbox/${pod.metadata.uid}`)
  if (command === 'pods') {
    // Newest first, as crictl sorts sandboxes by creation time.
    const sorted = [...pods].sort(
      (a, b) => Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? ''),
    )
    if (quiet) io.stdout(sorted.map((pod) => `${sandbox(pod)}\n`).join(''))
    else
      io.stdout(
        table([
          ['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'],
          ...sorted.map((pod) => [
            id(sandbox(pod)),
            age(pod, now),
            'Ready',
            pod.metadata.name,
            pod.metadata.namespace ?? 'default',
            '0',
            '(default)',
          ]),
        ]),
      )
    return 0
  }
  // Every container of a running pod runs: -a adds no exited ones, as none has restarted.
  const containers = pods.flatMap((pod) =>
    (pod.spec.containers as Array<{ name: string; image: string }>).map((c) => ({
      pod,
      c,
      cid: hash(`container/${pod.metadata.uid}/${c.name}`),
    })),
  )
  if (quiet) io.stdout(containers.map(({ cid }) => `${cid}\n`).join(''))
  else
    io.stdout(
      table([
        ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID'],
        ...containers.map(({ pod, c, cid }) => [
          id(cid),
          id(hash(`image/${c.image}`)),
          age(pod, now),
          'Running',
          c.name,
          '0',
          id(sandbox(pod)),
        ]),
      ]),
    )
  return 0
}
