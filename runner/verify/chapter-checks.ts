/**
 * A chapter's checks run against the live lab, one run per chapter at a time. The verdict is recorded in progress,
 * reported to observers check by check, and reaches each tab once: the asking tab in the reply to its request, the
 * others as a `check-result` event.
 */

import type { LabBackend } from '../../lab/backend.ts'
import type { Chapter, Locale } from '../../protocol/course.ts'
import type { LearnerEvent } from '../../protocol/learner-event.ts'
import type { ChapterCheckResult, CheckResult } from '../../protocol/messages.ts'
import type { ProgressStore } from '../progress/progress-store.ts'
import { LabRequestError } from '../request-error.ts'
import type { Tab, Tabs } from '../server/tabs.ts'
import { runCheck } from './run-check.ts'

export interface ChapterChecksOptions {
  lab: LabBackend
  store: ProgressStore
  tabs: Tabs
  emit: (event: LearnerEvent) => void
}

export class ChapterChecks {
  private readonly running = new Set<string>()
  private readonly last = new Map<string, ChapterCheckResult>()

  constructor(private readonly options: ChapterChecksOptions) {}

  /** The last verdict of each chapter, for a tab that opens. */
  results(): ChapterCheckResult[] {
    return [...this.last.values()]
  }

  /** Runs the checks with reasons in `locale`; the verdict goes to every tab but `asking`, which gets it as the reply. */
  async run(chapter: Chapter, locale: Locale, asking?: Tab): Promise<ChapterCheckResult> {
    const chapterId = chapter.id
    if (this.running.has(chapterId))
      throw new LabRequestError('LAB_BUSY', `the checks of "${chapterId}" are already running`)
    this.running.add(chapterId)
    const { store, emit, tabs } = this.options
    tabs.broadcast({ type: 'checks-running', chapterId })
    try {
      const checks: CheckResult[] = []
      for (const check of chapter.checks) {
        const result = await runCheck(check, this.options.lab, locale)
        checks.push(result)
        emit({
          type: 'check-finished',
          at: Date.now(),
          chapterId,
          checkId: check.id,
          ok: result.ok,
          reason: result.reason || undefined,
          output: result.output.slice(-8000) || undefined,
        })
      }
      const result: ChapterCheckResult = { chapterId, ok: checks.every((c) => c.ok), checks, at: Date.now() }
      const newlyCompleted = result.ok && !store.chapter(chapterId).completed
      store.updateChapter(chapterId, (state) => {
        state.checksPassed = checks.filter((c) => c.ok).map((c) => c.checkId)
        if (result.ok) state.completed = true
      })
      if (newlyCompleted) emit({ type: 'chapter-completed', at: Date.now(), chapterId })
      this.last.set(chapterId, result)
      tabs.broadcast({ type: 'check-result', result }, asking)
      return result
    } finally {
      this.running.delete(chapterId)
    }
  }
}
