import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TwinContext } from '../context.ts'
import { type Change, ObjectStore } from './store.ts'

/** One control loop: reads the store and the lab, and makes both match the desired state. Must be idempotent. */
export interface Controller {
  readonly name: string
  reconcile(cluster: Cluster): Promise<void>
  /** Stops what the controller started (daemons); namespaces are the lab's to remove. */
  stop?(cluster: Cluster): Promise<void>
}

/**
 * Passes one trigger may run back to back. A chain of dependent changes (DaemonSet -> pods -> addresses -> service
 * IPs -> announcements) takes several; controllers fighting over an object (LB-IPAM and MetalLB both own a
 * service) never settle, and then the loop yields and resumes after RETRY_MS instead of spinning.
 */
const MAX_PASSES = 30
const RETRY_MS = 250

/** One line of a container's log with the time it was written, as the kubelet keeps it. */
export interface LogLine {
  time: number
  text: string
}

/**
 * A log line's time as the kubelet stamps it (RFC3339Nano as Go prints it, trailing zeros of the fraction dropped):
 * before each line of `kubectl logs --timestamps` and in the CRI log files `kind export logs` writes.
 */
export const rfc3339Nano = (time: number) => new Date(time).toISOString().replace(/\.?0+Z$/, 'Z')

/**
 * The emulated cluster of one lab: the object store, the pod logs, and the control loops. A change in the store or
 * in the lab (a tool emitted 'changed') marks the cluster dirty; one loop runs every controller in order until a pass
 * changes nothing, so `settle()` tells when the lab matches what was asked.
 */
export class Cluster {
  readonly store: ObjectStore
  /** Pod name -> log lines, as `kubectl logs` shows them, with the time the kubelet would have stamped each. */
  readonly logs = new Map<string, LogLine[]>()
  private dirty = false
  private running: Promise<void> | null = null
  private stopped = false
  /** Delay before resuming after a capped burst; doubles while controllers keep fighting, so a fight costs little. */
  private backoff = RETRY_MS
  /** Events are the controllers' output, never their input: recording one needs no new pass. */
  private readonly onChange = (change: Change) => {
    if (change.object.kind !== 'Event') this.kick()
  }
  /** Counts changes made outside the store (a tool changed the lab, a cluster came or went): worth probing the lab. */
  private generation = 0
  private readonly onLabChange = () => {
    this.generation++
    this.kick()
  }

  constructor(
    readonly lab: TwinContext,
    private readonly controllers: Controller[],
  ) {
    this.store = new ObjectStore(join(lab.runDir, 'cluster', 'state.json'))
    this.store.on('change', this.onChange)
    this.store.on('cluster', this.onLabChange)
    lab.events.on('changed', this.onLabChange)
  }

  /** Grows whenever something other than the store changed; controllers that probe the lab compare it. */
  get labGeneration(): number {
    return this.generation
  }

  /** Schedules a reconcile pass. */
  kick(): void {
    if (this.stopped) return
    this.dirty = true
    this.running ??= this.loop().finally(() => {
      this.running = null
    })
  }

  /** Resolves once every controller has caught up with the last change. */
  async settle(): Promise<void> {
    while (this.running) await this.running
  }

  /**
   * Appends a line to a pod's log, in the format of the emulated component: Cilium's agent logs logrus text without a
   * timestamp (pkg/logging/logging.go: `DisableTimestamp: true`), `level=info` unless the line says its level; the
   * time goes beside it, where the kubelet keeps it (`kubectl logs --timestamps`, `kind export logs`). A line that is
   * not an emulated component's (`logrus: false`) goes as it is.
   */
  log(pod: string, line: string, { logrus = true } = {}): void {
    const text = !logrus || line.startsWith('level=') ? line : `level=info ${line}`
    const lines = this.logs.get(pod) ?? []
    lines.push({ time: Date.now(), text })
    this.logs.set(pod, lines.slice(-500))
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.store.off('change', this.onChange)
    this.store.off('cluster', this.onLabChange)
    this.lab.events.off('changed', this.onLabChange)
    await this.settle()
    for (const controller of [...this.controllers].reverse()) await controller.stop?.(this)
  }

  private async loop(): Promise<void> {
    // Yield first: `running` must be set before a controller's store write calls kick() again.
    await undefined
    let failed = false
    for (let pass = 0; this.dirty && pass < MAX_PASSES && !this.stopped; pass++) {
      this.dirty = false
      for (const controller of this.controllers) {
        try {
          await controller.reconcile(this)
        } catch (error) {
          failed = true
          await appendFile(
            join(this.lab.runDir, 'cluster.log'),
            `${new Date().toISOString()} ${controller.name}: ${(error as Error).stack ?? error}\n`,
          ).catch(() => {})
        }
      }
    }
    // A failed step (a command the kernel refused) is retried later rather than waiting for the next change.
    if ((this.dirty || failed) && !this.stopped) {
      setTimeout(() => this.kick(), this.backoff).unref()
      this.backoff = Math.min(this.backoff * 2, 8000)
    } else this.backoff = RETRY_MS
  }
}

const clusters = new WeakMap<TwinContext, Cluster>()

/** Registers the running cluster of a lab, for the tools to find. */
export function registerCluster(cluster: Cluster): void {
  clusters.set(cluster.lab, cluster)
}

export function unregisterCluster(cluster: Cluster): void {
  if (clusters.get(cluster.lab) === cluster) clusters.delete(cluster.lab)
}

/** The cluster side of a lab; the daemon starts it with `startCluster` before any tool runs. */
export function clusterOf(lab: TwinContext): Cluster {
  const cluster = clusters.get(lab)
  if (!cluster) throw new Error(`the cluster side of lab ${lab.id} is not started (startCluster)`)
  return cluster
}
