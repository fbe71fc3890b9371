/**
 * The hub's state and every control it offers, independent of sockets' framing: who is in the class, which runner
 * socket belongs to which learner, which dashboard watches which terminal, and the coalesced pushes to dashboards.
 */

import type { WebSocket } from 'ws'
import { addressKey } from '../../http/address-key.ts'
import {
  type HubToDashboard,
  type HubToRunner,
  hubCloseCodes,
  type LearnerView,
  type Notice,
  type Pace,
} from '../../protocol/hub.ts'
import type { LearnerEvent } from '../../protocol/learner-event.ts'
import { refuse, send } from './frames.ts'
import { HubError } from './hub-error.ts'
import { LearnerStore, type LearnerStoreOptions } from './learner-store.ts'
import { learnerIdOfToken, newLearnerId, newLearnerToken, secretEquals } from './secrets.ts'

/** What the hub needs from the hosted-lab manager (absent when the hub hosts no labs). */
export interface HostedControl {
  /** Fresh lab for this learner, with the course's solutions replayed up to (not including) chapter `order`. */
  reset(learnerId: string, chapterOrder: number): Promise<void>
  /** Stop and discard this learner's lab. */
  release(learnerId: string): Promise<void>
  /** The learner did something: postpone idle expiry. */
  touch(learnerId: string): void
}

export interface Dashboard {
  ws: WebSocket
  /** `learnerId terminalId` keys this dashboard mirrors. */
  watches: Set<string>
}

export interface HubCoreOptions extends LearnerStoreOptions {
  /** [flushMs=200] Window in which row changes are coalesced into one push per dashboard. */
  flushMs?: number
  hosted?: HostedControl
  /** [maxLearners=200] Rows the workshop holds; a join past it is refused with `HUB_CLASS_FULL`. */
  maxLearners?: number
  /**
   * [maxLearnersPerAddress=20] Rows joined from one remote address (an IPv6 /64 is one: a host picks any address in
   * its own); a join past it is refused with `HUB_ADDRESS_FULL`, so one machine holding the code cannot fill the class.
   */
  maxLearnersPerAddress?: number
  /**
   * [uncappedAddresses=['127.0.0.1', '::1']] Addresses the per-address cap does not apply to. Every runner on the hub's
   * own machine joins from loopback (hosted labs, bounded by their own cap), and a classroom behind one NAT shares an
   * address: list it here, or raise the cap.
   */
  uncappedAddresses?: string[]
}

export class HubCore {
  readonly store: LearnerStore
  readonly dashboards = new Set<Dashboard>()
  hosted: HostedControl | undefined
  classPace: Pace = null
  private readonly tokens = new Map<string, string>()
  /** Learner id -> the remote address it joined from, for the per-address cap. */
  private readonly addresses = new Map<string, string>()
  /** Remote address -> hosted joins from it whose lab is still starting (reserveHosted). */
  private readonly reserved = new Map<string, number>()
  private readonly maxLearners: number
  private readonly maxPerAddress: number
  private readonly uncapped: Set<string>
  private readonly runners = new Map<string, WebSocket>()
  private readonly mirrorRefs = new Map<string, number>()
  private readonly dirty = new Set<string>()
  private readonly removed = new Set<string>()
  private flushTimer: NodeJS.Timeout | undefined
  private readonly ticker: NodeJS.Timeout
  private readonly flushMs: number

  constructor(options: HubCoreOptions) {
    this.store = new LearnerStore(options)
    this.flushMs = options.flushMs ?? 200
    this.hosted = options.hosted
    this.maxLearners = options.maxLearners ?? 200
    this.maxPerAddress = options.maxLearnersPerAddress ?? 20
    this.uncapped = new Set((options.uncappedAddresses ?? ['127.0.0.1', '::1']).map(addressKey))
    this.ticker = setInterval(() => this.store.tick().forEach((id) => this.markDirty(id)), 1000)
    this.ticker.unref()
  }

  /**
   * A new learner joining from `address`: a row, an id and the token only this learner gets, or a HubError when the
   * workshop or that address is full (a rejoin resumes its row with the token and never comes here).
   */
  join(name: string, address: string): { learnerId: string; token: string } {
    if (this.tokens.size >= this.maxLearners) {
      throw new HubError(
        'HUB_CLASS_FULL',
        `the workshop has ${this.maxLearners} learners, as many as it takes: ask the instructor`,
      )
    }
    const from = addressKey(address)
    this.admit(from)
    const learnerId = newLearnerId()
    const token = newLearnerToken(learnerId)
    this.tokens.set(learnerId, token)
    this.addresses.set(learnerId, from)
    this.store.add(learnerId, name, 'local', this.classPace)
    this.markDirty(learnerId)
    return { learnerId, token }
  }

  /**
   * Holds a place for a learner joining from `address` with only a browser, while their hosted lab starts: its runner
   * joins later from loopback, which is not capped, so without this one address could take every hosted lab. Throws
   * `HUB_ADDRESS_FULL` as join does; call the function returned with the new row's id (it then counts against
   * `address`), or with nothing when the lab did not start.
   */
  reserveHosted(address: string): (learnerId?: string) => void {
    const from = addressKey(address)
    this.admit(from)
    this.reserved.set(from, (this.reserved.get(from) ?? 0) + 1)
    let done = false
    return (learnerId) => {
      if (done) return
      done = true
      const left = (this.reserved.get(from) ?? 1) - 1
      if (left > 0) this.reserved.set(from, left)
      else this.reserved.delete(from)
      if (learnerId !== undefined && this.tokens.has(learnerId)) this.addresses.set(learnerId, from)
    }
  }

  /** Throws `HUB_ADDRESS_FULL` when `from` has as many rows (and places held for hosted joins) as one address may. */
  private admit(from: string): void {
    if (this.uncapped.has(from)) return
    const rows = [...this.addresses.values()].filter((a) => a === from).length
    if (rows + (this.reserved.get(from) ?? 0) >= this.maxPerAddress) {
      throw new HubError(
        'HUB_ADDRESS_FULL',
        `${this.maxPerAddress} learners already joined from ${from}, as many as one address may add`,
      )
    }
  }

  /** The learner a token belongs to, if it is exactly the token the hub issued. */
  learnerOfToken(token: string): string | undefined {
    const learnerId = learnerIdOfToken(token)
    const expected = learnerId && this.tokens.get(learnerId)
    return expected && secretEquals(token, expected) ? learnerId : undefined
  }

  markHosted(learnerId: string): void {
    const view = this.store.get(learnerId)
    if (view) view.mode = 'hosted'
    this.markDirty(learnerId)
  }

  attachRunner(learnerId: string, ws: WebSocket): void {
    const previous = this.runners.get(learnerId)
    if (previous && previous !== ws) refuse(previous, 4409, 'HUB_SUPERSEDED: the same learner connected again')
    this.runners.set(learnerId, ws)
    this.store.setConnected(learnerId, true)
    this.toRunner(learnerId, { type: 'pace', pace: this.store.get(learnerId)?.pace ?? null })
    // Terminals someone was already watching before a reconnect keep streaming.
    for (const key of this.mirrorRefs.keys()) {
      const [id, terminalId] = key.split(' ')
      if (id === learnerId) this.toRunner(learnerId, { type: 'mirror-start', terminalId })
    }
    this.markDirty(learnerId)
  }

  detachRunner(learnerId: string, ws: WebSocket): void {
    if (this.runners.get(learnerId) !== ws) return
    this.runners.delete(learnerId)
    this.store.setConnected(learnerId, false)
    this.markDirty(learnerId)
  }

  /** Folds a runner's event into its row; throws a HubError (row unchanged) when the course's rules refuse it. */
  onEvent(learnerId: string, event: LearnerEvent): void {
    this.store.apply(learnerId, event)
    this.hosted?.touch(learnerId)
    this.markDirty(learnerId)
  }

  /** Takes the chapters a runner's store has completed; throws a HubError (row unchanged) for what the course refuses. */
  onProgress(learnerId: string, completed: string[]): void {
    this.store.adopt(learnerId, completed)
    this.markDirty(learnerId)
  }

  onMirror(learnerId: string, terminalId: string, data: string): void {
    const key = `${learnerId} ${terminalId}`
    if (!this.mirrorRefs.has(key)) return
    const frame = JSON.stringify({ type: 'terminal', learnerId, terminalId, data } satisfies HubToDashboard)
    for (const dashboard of this.dashboards) if (dashboard.watches.has(key)) send(dashboard.ws, frame)
  }

  snapshot(): HubToDashboard {
    return {
      type: 'snapshot',
      now: this.store.now(),
      chapters: this.store.outline.info(),
      learners: this.store.list(),
      overview: this.store.overview(),
      classPace: this.classPace,
      hosted: this.hosted !== undefined,
    }
  }

  // ---- controls (the dashboard is their only caller; authorization happens before) ----

  pace(learnerId: string | undefined, pace: Pace): void {
    if (learnerId === undefined) this.classPace = pace
    for (const id of this.targets(learnerId)) {
      this.store.setPace(id, pace)
      this.toRunner(id, { type: 'pace', pace })
      this.markDirty(id)
    }
  }

  notify(learnerId: string | undefined, notice: Notice): void {
    for (const id of this.targets(learnerId)) this.toRunner(id, { type: 'notify', notice })
  }

  reveal(learnerId: string | undefined, chapterId: string): void {
    if (!this.store.outline.has(chapterId)) {
      throw new HubError('HUB_UNKNOWN_CHAPTER', `no chapter "${chapterId}" in this course`)
    }
    for (const id of this.targets(learnerId)) this.toRunner(id, { type: 'reveal', chapterId })
  }

  watch(dashboard: Dashboard, learnerId: string, terminalId: string): void {
    this.targets(learnerId)
    const key = `${learnerId} ${terminalId}`
    if (dashboard.watches.has(key)) return
    dashboard.watches.add(key)
    const refs = (this.mirrorRefs.get(key) ?? 0) + 1
    this.mirrorRefs.set(key, refs)
    // Every new watcher needs the replay, so the runner is asked again even when another dashboard already watches.
    this.toRunner(learnerId, { type: 'mirror-start', terminalId })
  }

  unwatch(dashboard: Dashboard, learnerId: string, terminalId: string): void {
    const key = `${learnerId} ${terminalId}`
    if (!dashboard.watches.delete(key)) return
    const refs = (this.mirrorRefs.get(key) ?? 1) - 1
    if (refs > 0) return void this.mirrorRefs.set(key, refs)
    this.mirrorRefs.delete(key)
    this.toRunner(learnerId, { type: 'mirror-stop', terminalId })
  }

  dropDashboard(dashboard: Dashboard): void {
    for (const key of [...dashboard.watches]) {
      const [learnerId, terminalId] = key.split(' ')
      this.unwatch(dashboard, learnerId, terminalId)
    }
    this.dashboards.delete(dashboard)
  }

  async reset(learnerId: string, chapterOrder: number): Promise<void> {
    const view = this.view(learnerId)
    if (view.mode !== 'hosted' || !this.hosted) {
      throw new HubError(
        'HUB_RESET_LOCAL',
        `${view.name} runs a lab on their own machine: only hosted labs can be reset`,
      )
    }
    if (!this.store.chapters.some((c) => c.order === chapterOrder)) {
      throw new HubError('HUB_UNKNOWN_CHAPTER', `no chapter with order ${chapterOrder} in this course`)
    }
    await this.hosted.reset(learnerId, chapterOrder)
    this.store.rewind(learnerId, chapterOrder)
    this.markDirty(learnerId)
  }

  async remove(learnerId: string): Promise<void> {
    const view = this.view(learnerId)
    const ws = this.runners.get(learnerId)
    if (ws) {
      send(ws, { type: 'removed' } satisfies HubToRunner)
      refuse(ws, hubCloseCodes.removed, 'HUB_REMOVED: the instructor removed this learner')
    }
    this.runners.delete(learnerId)
    this.tokens.delete(learnerId)
    this.addresses.delete(learnerId)
    this.store.remove(learnerId)
    this.dirty.delete(learnerId)
    this.removed.add(learnerId)
    this.scheduleFlush()
    if (view.mode === 'hosted') await this.hosted?.release(learnerId)
  }

  close(): void {
    clearInterval(this.ticker)
    clearTimeout(this.flushTimer)
  }

  markDirty(learnerId: string): void {
    this.dirty.add(learnerId)
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return
    this.flushTimer = setTimeout(() => this.flush(), this.flushMs)
  }

  /** One push per window, serialized once for every dashboard. */
  private flush(): void {
    this.flushTimer = undefined
    const learners = [...this.dirty].map((id) => this.store.get(id)).filter((v): v is LearnerView => v !== undefined)
    const delta: HubToDashboard = {
      type: 'delta',
      now: this.store.now(),
      learners,
      removed: [...this.removed],
      overview: this.store.overview(),
      classPace: this.classPace,
    }
    this.dirty.clear()
    this.removed.clear()
    const frame = JSON.stringify(delta)
    for (const dashboard of this.dashboards) send(dashboard.ws, frame)
  }

  private view(learnerId: string): LearnerView {
    const view = this.store.get(learnerId)
    if (!view) throw new HubError('HUB_UNKNOWN_LEARNER', `no learner "${learnerId}" in this class`)
    return view
  }

  /** One learner (which must exist) or everyone. */
  private targets(learnerId: string | undefined): string[] {
    return learnerId === undefined ? this.store.list().map((v) => v.id) : [this.view(learnerId).id]
  }

  private toRunner(learnerId: string, message: HubToRunner): void {
    const ws = this.runners.get(learnerId)
    if (ws) send(ws, message)
  }
}
