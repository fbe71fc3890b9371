import { type Cluster, type LogLine, rfc3339Nano } from '../cluster/cluster.ts'
import { findType } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { type Args, FlagError, flag, flagOn } from './args.ts'
import { durationFlag } from './duration-flag.ts'
import { KubectlError } from './kubectl-error.ts'
import { refuseIfKubeletStopped } from './kubelet-unreachable.ts'
import { listObjects, noResources, selectionOf } from './list-objects.ts'
import { PodLog } from './pod-log.ts'
import { namedObject, podsOf } from './pods-of-object.ts'
import type { WatchOut } from './watch.ts'

/** How often a followed log is read again: the kubelet streams as the file grows, the twin looks this often. */
const FOLLOW_POLL_MS = 200

const USAGE =
  "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"

interface LogOptions {
  container: string | undefined
  tail: number
  sinceMs: number | undefined
  timestamps: boolean
  prefix: boolean
}

function optionsOf(args: Args, selector: boolean): LogOptions {
  const tail = flag(args, 'tail')
  if (tail !== undefined && !/^-?\d+$/.test(tail))
    throw new FlagError(
      `invalid argument "${tail}" for "--tail" flag: strconv.ParseInt: parsing "${tail}": invalid syntax`,
    )
  const since = flag(args, 'since')
  const sinceMs = since === undefined ? undefined : durationFlag('since', since)
  return {
    container: flag(args, 'container'),
    // logs.go: with a selector and no --tail, the last 10 lines of each pod.
    tail: tail !== undefined ? Number(tail) : selector ? 10 : -1,
    sinceMs,
    timestamps: flagOn(args, 'timestamps'),
    prefix: flagOn(args, 'prefix'),
  }
}

/** Namespaces of the cluster's own components (kind's, Cilium's operator): they log, but the twin runs them emulated. */
const SYSTEM_NAMESPACES = ['kube-system', 'local-path-storage']

/**
 * A system pod the twin keeps no log for (the control plane, kube-proxy, CoreDNS, the provisioner, Cilium's
 * operator): its real log is never empty, so an empty answer would be wrong. The agents' lines are kept.
 */
function refuseIfNoLogKept(cluster: Cluster, pod: KObject): void {
  if (!SYSTEM_NAMESPACES.includes(pod.metadata.namespace ?? '') || cluster.logs.get(pod.metadata.name)?.length) return
  throw new NotEmulatedError(
    'kubectl',
    `logs ${pod.metadata.name}`,
    "The twin runs this component emulated and keeps no log of it; it keeps the Cilium agents' and MetalLB's logs and the pods' own servers' output. kubectl get events -A shows what the cluster did.",
  )
}

/**
 * The container whose log is asked for, checked as kubectl's logsforobject does; -p finds none (nothing restarts).
 * Undefined for a pod no node took: the API server has no kubelet to ask and answers an empty log
 * (pkg/registry/core/pod/strategy.go LogLocation, 1.23: "If pod has not been assigned a host, return an empty location").
 */
function containerOf(
  cluster: Cluster,
  pod: KObject,
  options: LogOptions,
  previous: boolean,
  out: WatchOut,
): string | undefined {
  const names: string[] = (pod.spec.containers ?? []).map((c: { name: string }) => c.name)
  const container = options.container ?? names[0]
  if (options.container === undefined && names.length > 1)
    out.stderr(`Defaulted container "${container}" out of: ${names.join(', ')}\n`)
  if (!names.includes(container))
    throw new KubectlError(`error: container ${container} is not valid for pod ${pod.metadata.name}`)
  if (!pod.spec.nodeName) return undefined
  refuseIfNoLogKept(cluster, pod)
  if (pod.status?.phase !== 'Running')
    throw new KubectlError(
      `Error from server (BadRequest): container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
    )
  if (previous)
    throw new KubectlError(
      `Error from server (BadRequest): previous terminated container "${container}" in pod "${pod.metadata.name}" not found`,
    )
  return container
}

/** One pod's stream: its lines since `--since`, the last `--tail`, each stamped and prefixed as asked. */
function stream(pod: KObject, container: string, options: LogOptions, cluster: Cluster) {
  const log = new PodLog(cluster, pod.metadata.name)
  const format = (line: LogLine) =>
    `${options.prefix ? `[pod/${pod.metadata.name}/${container}] ` : ''}${options.timestamps ? `${rfc3339Nano(line.time)} ` : ''}${line.text}\n`
  return {
    pod,
    first(): string {
      const from = options.sinceMs === undefined ? -Infinity : Date.now() - options.sinceMs
      const lines = log.read().filter((l) => l.time >= from)
      return (options.tail < 0 ? lines : lines.slice(Math.max(0, lines.length - options.tail))).map(format).join('')
    },
    next: () => log.read().map(format).join(''),
  }
}

/** The pods the command names: `-l`, a pod, or the first pod of a workload or service (with kubectl's note). */
function podsAsked(cluster: Cluster, args: Args, out: WatchOut): KObject[] {
  const word = args.positional[0]
  if (flag(args, 'selector') !== undefined) {
    if (word !== undefined) throw new KubectlError('error: only a selector (-l) or a POD name is allowed')
    const podType = findType(cluster.store, 'pods')!
    const pods = listObjects(cluster, podType, selectionOf(args))
    if (pods.length === 0) out.stderr(noResources(selectionOf(args), [podType]))
    return pods
  }
  if (word === undefined) throw new KubectlError(USAGE)
  if (args.positional.length > 2) throw new KubectlError(USAGE)
  const object = namedObject(cluster, args, word)
  const pods = podsOf(cluster, object, 'get the logs from')
  if (pods.length === 0) throw new KubectlError('error: timed out waiting for the condition')
  if (pods.length > 1) out.stderr(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`)
  return [pods[0]]
}

/**
 * `kubectl logs` (1.23 logs.go): a pod's log (`POD [CONTAINER]`, `-c`), or the first pod's of a workload or service,
 * or every pod's `-l` selects; `--tail`, `--since`, `--timestamps`, `--prefix`; `-f` streams until Ctrl-C (kubectl
 * has no handler of its own there: it dies of the signal) or until the pod is gone.
 */
export async function logs(cluster: Cluster, args: Args, out: WatchOut): Promise<number> {
  await cluster.settle()
  const options = optionsOf(args, flag(args, 'selector') !== undefined)
  if (options.container === undefined && args.positional[1] !== undefined) options.container = args.positional[1]
  const follow = flagOn(args, 'follow')
  const pods = podsAsked(cluster, args, out)
  for (const pod of pods) refuseIfKubeletStopped(cluster, pod, 'logs')
  const limit = Number(flag(args, 'max-log-requests') ?? '5')
  if (follow && pods.length > limit) {
    throw new KubectlError(
      `error: you are attempting to follow ${pods.length} log streams, but maximum allowed concurrency is ${limit}, use --max-log-requests to increase the limit`,
    )
  }
  const streams = pods.flatMap((pod) => {
    const container = containerOf(cluster, pod, options, flagOn(args, 'previous'), out)
    return container === undefined ? [] : [stream(pod, container, options, cluster)]
  })
  for (const s of streams) out.stdout(s.first())
  const signal = out.signal
  if (!follow || !signal) return 0
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(timer)
      signal.removeEventListener('abort', stop)
      resolve()
    }
    const timer = setInterval(() => {
      for (const s of streams) out.stdout(s.next())
      // A deleted pod's stream ends, as the kubelet closes it: with every stream ended kubectl exits 0.
      if (streams.every((s) => !cluster.store.get('Pod', s.pod.metadata.namespace, s.pod.metadata.name))) stop()
    }, FOLLOW_POLL_MS)
    signal.addEventListener('abort', stop, { once: true })
  })
  return 0
}
