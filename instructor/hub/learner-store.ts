/**
 * The class as the hub sees it: one row per learner, built only from the progress events their runners send and held
 * to the course's rules (course-outline.ts says why), plus the stuck flag and the per-chapter overview the dashboard
 * shows. No I/O here, so the rules are unit-tested with a fake clock.
 */

import type { LearnerView, Overview, Pace } from '../../protocol/hub.ts'
import type { LearnerEvent } from '../../protocol/learner-event.ts'
import { CourseOutline, type HubChapter } from './course-outline.ts'
import { HubError } from './hub-error.ts'

export interface LearnerStoreOptions {
  /** Chapters of the course, for the overview and to hold events to its steps, checks and requirements. */
  chapters: HubChapter[]
  /** [stuckAfterMs=300000] No progress for this long flags a learner `idle`. */
  stuckAfterMs?: number
  /** [stuckFailures=3] This many failed steps or checks in a row flag a learner `failing`. */
  stuckFailures?: number
  /** [now=Date.now] The hub's clock (tests pass a fake one). */
  now?: () => number
}

interface LearnerRecord {
  view: LearnerView
  /** checkId -> last result, so "passed" and "failing" count checks, not attempts. */
  checks: Map<string, boolean>
  /** `chapterId/stepId` of the steps that passed, for chapters without checks. */
  stepsDone: Set<string>
  failStreak: number
}

export class LearnerStore {
  readonly outline: CourseOutline
  /** Sorted by order. */
  readonly chapters: HubChapter[]
  private readonly records = new Map<string, LearnerRecord>()
  private readonly stuckAfterMs: number
  private readonly stuckFailures: number
  readonly now: () => number

  constructor(options: LearnerStoreOptions) {
    this.outline = new CourseOutline(options.chapters)
    this.chapters = this.outline.chapters
    this.stuckAfterMs = options.stuckAfterMs ?? 300_000
    this.stuckFailures = options.stuckFailures ?? 3
    this.now = options.now ?? Date.now
  }

  add(id: string, name: string, mode: LearnerView['mode'], pace: Pace): LearnerView {
    const view: LearnerView = {
      id,
      name,
      mode,
      connected: true,
      chapterId: null,
      stepId: null,
      stepOk: null,
      checksPassed: 0,
      checksFailed: 0,
      completedChapters: [],
      progressAt: this.now(),
      stuck: null,
      lastFailure: null,
      help: null,
      pace,
      labState: null,
    }
    this.records.set(id, { view, checks: new Map(), stepsDone: new Set(), failStreak: 0 })
    return view
  }

  get(id: string): LearnerView | undefined {
    return this.records.get(id)?.view
  }

  has(id: string): boolean {
    return this.records.has(id)
  }

  list(): LearnerView[] {
    return [...this.records.values()].map((r) => r.view)
  }

  remove(id: string): boolean {
    return this.records.delete(id)
  }

  setConnected(id: string, connected: boolean): void {
    const view = this.records.get(id)?.view
    if (view) view.connected = connected
  }

  setPace(id: string, pace: Pace): void {
    const view = this.records.get(id)?.view
    if (view) view.pace = pace
  }

  /**
   * Takes the chapters the learner's runner has completed (its progress store: earlier sessions count), in course
   * order, each only once the chapters it requires are completed in the row. Throws a HubError and leaves the row as
   * it was when the list names a chapter the course does not have or breaks the course's order.
   */
  adopt(id: string, completed: string[]): void {
    const record = this.records.get(id)
    if (!record) return
    const claimed = new Set(completed)
    const unknown = [...claimed].filter((chapterId) => !this.outline.has(chapterId))
    if (unknown.length > 0) throw new HubError('HUB_UNKNOWN_CHAPTER', `no chapter "${unknown[0]}" in this course`)
    const next = [...record.view.completedChapters]
    for (const chapter of this.outline.chapters) {
      if (!claimed.has(chapter.id) || next.includes(chapter.id)) continue
      const missing = this.outline.missingRequires(chapter.id, next)
      if (missing.length > 0)
        throw new HubError(
          'HUB_NOT_COMPLETED',
          `chapter "${chapter.id}" is not completed yet: missing ${missing.join(', ')}`,
        )
      next.push(chapter.id)
    }
    record.view.completedChapters = next
  }

  /**
   * Folds one progress event into the learner's row, or throws a HubError and leaves the row as it was when the event
   * names what the course does not have or claims a completion the row's own results do not support.
   */
  apply(id: string, event: LearnerEvent): void {
    const record = this.records.get(id)
    if (!record) return
    this.outline.validate(event)
    if (event.type === 'chapter-completed') this.complete(record, event.chapterId, true)
    const { view } = record
    if (event.type === 'lab-status') {
      view.labState = event.state
      return
    }
    view.chapterId = event.chapterId
    switch (event.type) {
      case 'chapter-opened':
        view.stepId = null
        view.stepOk = null
        this.progressed(record)
        break
      case 'step-finished':
        view.stepId = event.stepId
        view.stepOk = event.ok
        if (event.ok) {
          record.stepsDone.add(`${event.chapterId}/${event.stepId}`)
          this.progressed(record)
        } else record.failStreak++
        break
      case 'check-finished':
        record.checks.set(`${event.chapterId}/${event.checkId}`, event.ok)
        if (event.ok) this.progressed(record)
        else {
          record.failStreak++
          view.lastFailure = { checkId: event.checkId, reason: event.reason, output: event.output, at: this.now() }
        }
        // A run that passed completes the chapter even when the runner sends no chapter-completed: it sends one only
        // the first time, so a learner re-checking a chapter done before joining this hub brings the row up to date.
        if (event.ok && this.outline.isLastCheck(event.chapterId, event.checkId)) this.complete(record, event.chapterId)
        break
      case 'chapter-completed':
        if (view.help?.chapterId === event.chapterId) view.help = null
        this.progressed(record)
        break
      case 'help':
        view.help = event.asking
          ? { chapterId: event.chapterId, ...(event.note ? { note: event.note } : {}), at: this.now() }
          : null
        break
    }
    this.recount(record)
  }

  /** After a reset: the learner stands at the start of chapter `order`, with every earlier chapter done (replayed). */
  rewind(id: string, order: number): void {
    const record = this.records.get(id)
    if (!record) return
    const earlier = new Set(this.chapters.filter((c) => c.order < order).map((c) => c.id))
    const { view } = record
    view.completedChapters = [...earlier]
    view.chapterId = this.chapters.find((c) => c.order === order)?.id ?? null
    view.stepId = null
    view.stepOk = null
    view.lastFailure = null
    for (const key of [...record.checks.keys()]) if (!earlier.has(key.split('/')[0])) record.checks.delete(key)
    for (const key of [...record.stepsDone]) if (!earlier.has(key.split('/')[0])) record.stepsDone.delete(key)
    this.progressed(record)
    this.recount(record)
  }

  /** Re-evaluates the idle rule; returns the ids whose stuck flag changed (the hub pushes only those). */
  tick(): string[] {
    const changed: string[] = []
    for (const record of this.records.values()) {
      const before = record.view.stuck
      this.updateStuck(record)
      if (record.view.stuck !== before) changed.push(record.view.id)
    }
    return changed
  }

  overview(): Overview {
    return this.chapters.map((chapter) => {
      let current = 0
      let completed = 0
      let stuck = 0
      for (const { view } of this.records.values()) {
        if (view.completedChapters.includes(chapter.id)) completed++
        if (view.chapterId === chapter.id) {
          current++
          if (view.stuck) stuck++
        }
      }
      return { chapterId: chapter.id, current, completed, stuck }
    })
  }

  private recount(record: LearnerRecord): void {
    const results = [...record.checks.values()]
    record.view.checksPassed = results.filter(Boolean).length
    record.view.checksFailed = results.length - record.view.checksPassed
    this.updateStuck(record)
  }

  /** Marks the chapter completed if the row's results support it; `strict` throws when they do not. */
  private complete(record: LearnerRecord, chapterId: string, strict = false): void {
    if (record.view.completedChapters.includes(chapterId)) return
    const missing = this.outline.missing(chapterId, {
      completed: record.view.completedChapters,
      checks: record.checks,
      stepsDone: record.stepsDone,
    })
    if (missing.length === 0) record.view.completedChapters.push(chapterId)
    else if (strict)
      throw new HubError(
        'HUB_NOT_COMPLETED',
        `chapter "${chapterId}" is not completed yet: missing ${missing.join(', ')}`,
      )
  }

  private progressed(record: LearnerRecord): void {
    record.view.progressAt = this.now()
    record.failStreak = 0
  }

  private updateStuck(record: LearnerRecord): void {
    const { view } = record
    const finished = this.chapters.length > 0 && this.chapters.every((c) => view.completedChapters.includes(c.id))
    if (record.failStreak >= this.stuckFailures) view.stuck = 'failing'
    else if (view.connected && !finished && this.now() - view.progressAt >= this.stuckAfterMs) view.stuck = 'idle'
    else view.stuck = null
  }
}
