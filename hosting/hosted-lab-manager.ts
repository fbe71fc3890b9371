/**
 * Hosted labs: a runner with its own lab on the hub's machine for each learner who has only a browser. Labs start on
 * demand or come from a pool of warm spares, up to a cap; an idle one expires. A hosted runner joins the hub through
 * the same join client a local learner uses, so the hub treats both alike apart from the `hosted` flag.
 */

import type { HostedLabs } from '../instructor/hub/hosted-join-route.ts'
import { HubError } from '../instructor/hub/hub-error.ts'
import { connectToHub, type HubConnection } from '../instructor/join.ts'
import type { LabBackend } from '../lab/backend.ts'
import type { Chapter } from '../protocol/course.ts'
import type { HostedJoinResponse } from '../protocol/hub.ts'
import type { RunnerHooks } from '../protocol/runner-hooks.ts'
import { replaySolutions } from './replay-solutions.ts'

/** One started runner + lab, not yet (or no longer) tied to a learner. */
export interface HostedLabInstance {
  /** What the learner's browser opens: the runner's page with its own access token. */
  url: string
  runner: RunnerHooks
  /** The lab the runner drives, for replaying solutions on reset. */
  lab: Pick<LabBackend, 'exec'>
  /** Runs these chapters' checks through the runner, so it records them as done (after a replay). */
  confirmChapters(chapterIds: string[]): Promise<void>
  close(): Promise<void>
}

/** Starts a runner with a fresh lab. `reuse` asks for the previous instance's port and token, so an open page reconnects. */
export type StartHostedLab = (reuse?: { url: string }) => Promise<HostedLabInstance>

export interface HostedLabManagerOptions {
  hubUrl: string
  workshopCode: string
  start: StartHostedLab
  /** The course, for replaying solutions on reset. */
  chapters: Chapter[]
  /** Called when a hosted learner joined, so the hub marks the row as hosted. */
  onJoined: (learnerId: string) => void
  /** Called when a lab expired, so the hub removes the row. */
  onExpired: (learnerId: string) => void
  /** [warm=0] Spares kept started ahead of demand. */
  warm?: number
  /** [max=20] Cap on labs (spares included). */
  max?: number
  /** [idleMs=3600000] A learner without progress for this long loses the lab. */
  idleMs?: number
}

interface Assigned {
  name: string
  instance: HostedLabInstance
  connection: HubConnection
  token: string
  lastActive: number
  /** A reset is replacing the lab: a second one would race it for the port. */
  resetting: boolean
}

export class HostedLabManager implements HostedLabs {
  private readonly spares: HostedLabInstance[] = []
  private readonly assigned = new Map<string, Assigned>()
  /** Every started lab, whatever it is doing (spare, joining, assigned): what the cap counts. */
  private readonly live = new Set<HostedLabInstance>()
  private starting = 0
  private closed = false
  private readonly sweeper: NodeJS.Timeout

  constructor(private readonly options: HostedLabManagerOptions) {
    this.sweeper = setInterval(() => this.expireIdle(), Math.min(30_000, this.idleMs / 4))
    this.sweeper.unref()
    this.refill()
  }

  private get idleMs(): number {
    return this.options.idleMs ?? 3_600_000
  }

  /** Labs running or starting, spares included. */
  get size(): number {
    return this.live.size + this.starting
  }

  get spareCount(): number {
    return this.spares.length
  }

  async claim(name: string): Promise<HostedJoinResponse> {
    const instance = this.spares.shift() ?? (await this.startOne())
    this.refill()
    const connection = this.join(name, instance)
    const joined = await connection.joined.catch(async (error: Error) => {
      await this.stop(instance)
      throw error
    })
    this.assigned.set(joined.learnerId, {
      name,
      instance,
      connection,
      token: joined.token,
      lastActive: Date.now(),
      resetting: false,
    })
    this.options.onJoined(joined.learnerId)
    return { ...joined, labUrl: instance.url }
  }

  async reset(learnerId: string, chapterOrder: number): Promise<void> {
    const entry = this.entry(learnerId)
    if (entry.resetting) throw new HubError('HUB_RESET_BUSY', `${entry.name}'s lab is being reset already`)
    entry.resetting = true
    try {
      // The old runner goes first so the fresh one can take over its port and token: the learner's open page reconnects.
      entry.connection.close()
      await this.stop(entry.instance)
      const instance = await this.startOne({ url: entry.instance.url })
      try {
        await replaySolutions(instance.lab, this.options.chapters, chapterOrder)
        const replayed = this.options.chapters
          .filter((c) => c.order < chapterOrder && c.checks.length > 0)
          .sort((a, b) => a.order - b.order)
        await instance.confirmChapters(replayed.map((c) => c.id))
      } catch (error) {
        await this.stop(instance)
        this.assigned.delete(learnerId)
        throw error
      }
      entry.instance = instance
      entry.connection = this.join(entry.name, instance, entry.token)
      entry.lastActive = Date.now()
      await entry.connection.joined
    } finally {
      entry.resetting = false
    }
  }

  async release(learnerId: string): Promise<void> {
    const entry = this.assigned.get(learnerId)
    if (!entry) return
    this.assigned.delete(learnerId)
    entry.connection.close()
    await this.stop(entry.instance)
    this.refill()
  }

  touch(learnerId: string): void {
    const entry = this.assigned.get(learnerId)
    if (entry) entry.lastActive = Date.now()
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.sweeper)
    for (const entry of this.assigned.values()) entry.connection.close()
    this.assigned.clear()
    this.spares.splice(0)
    await Promise.allSettled([...this.live].map((i) => this.stop(i)))
  }

  private join(name: string, instance: HostedLabInstance, token?: string): HubConnection {
    return connectToHub({
      url: this.options.hubUrl,
      code: this.options.workshopCode,
      name,
      runner: instance.runner,
      token,
    })
  }

  private entry(learnerId: string): Assigned {
    const entry = this.assigned.get(learnerId)
    if (!entry) throw new HubError('HUB_UNKNOWN_LEARNER', `no hosted lab for learner "${learnerId}"`)
    return entry
  }

  private async stop(instance: HostedLabInstance): Promise<void> {
    this.live.delete(instance)
    await instance.close()
  }

  /** `reuse` (a reset) replaces a lab that was just stopped, so it is not held to the cap. */
  private async startOne(reuse?: { url: string }): Promise<HostedLabInstance> {
    const max = this.options.max ?? 20
    if (this.closed || (!reuse && this.size >= max)) {
      throw new HubError(
        'HUB_HOSTED_FULL',
        `all ${max} hosted labs are in use: ask the instructor, or join with a local lab`,
      )
    }
    this.starting++
    try {
      const instance = await this.options.start(reuse)
      this.live.add(instance)
      return instance
    } finally {
      this.starting--
    }
  }

  /** Starts spares in the background up to `warm`; a failed start is not retried until the next claim or release. */
  private refill(): void {
    const want = (this.options.warm ?? 0) - this.spares.length - this.starting
    for (let i = 0; i < want && this.size < (this.options.max ?? 20); i++) {
      this.startOne().then(
        (instance) =>
          this.closed
            ? void this.stop(instance).catch((error: Error) =>
                console.error('hosted labs: stopping a spare lab failed:', error.message),
              )
            : void this.spares.push(instance),
        () => undefined,
      )
    }
  }

  private expireIdle(): void {
    const now = Date.now()
    for (const [learnerId, entry] of this.assigned) {
      if (entry.resetting || now - entry.lastActive < this.idleMs) continue
      // Nothing awaits this: a failed stop is logged, and the row goes with the lab all the same (a rejection left
      // unhandled would end the hub, and every other learner's lab).
      void this.release(learnerId)
        .catch((error: Error) => console.error(`hosted labs: stopping ${entry.name}'s idle lab failed:`, error.message))
        .then(() => this.options.onExpired(learnerId))
    }
  }
}
