/**
 * Steps as the learner runs them: Run types a step's commands and starts its timeout; every command that finishes in
 * a terminal is matched against the open chapters' steps (Run or typed by hand alike), and each verdict is recorded
 * in progress, reported to observers and shown in every tab.
 */
import type { Chapter, Locale, Step } from '../../protocol/course.ts'
import type { LearnerEvent } from '../../protocol/learner-event.ts'
import type { ServerEvent, StepResult } from '../../protocol/messages.ts'
import { stepCommands } from '../../protocol/step-commands.ts'
import type { ChapterGate } from '../progress/chapter-gate.ts'
import type { ProgressStore } from '../progress/progress-store.ts'
import type { FinishedCommand } from '../terminal/shell-integration.ts'
import type { Terminals } from '../terminal/terminals.ts'
import { StepTracker } from './step-tracker.ts'

const DEFAULT_TIMEOUT_MS = 60_000

export interface StepRunsOptions {
  store: ProgressStore
  gate: ChapterGate
  terminals: Terminals
  emit: (event: LearnerEvent) => void
  broadcast: (event: ServerEvent) => void
  /** A verdict changed the learner's progress. */
  progressChanged: () => void
}

export class StepRuns {
  private readonly tracker = new StepTracker()
  /** `chapter/step` -> the timer that fails a Run whose command did not finish. */
  private readonly pending = new Map<string, NodeJS.Timeout>()
  private readonly last = new Map<string, StepResult>()

  constructor(private readonly options: StepRunsOptions) {}

  /** The last verdict of each step, for a tab that opens. */
  results(): StepResult[] {
    return [...this.last.values()]
  }

  run(chapter: Chapter, step: Step, locale: Locale): void {
    // Typed first: a refused terminal (the lab is not up) starts no timer. The command's output, and so its verdict,
    // arrives only after this returns.
    this.options.terminals.type(step.terminal ?? 'main', stepCommands(step), locale)
    const key = `${chapter.id}/${step.id}`
    clearTimeout(this.pending.get(key))
    this.pending.set(
      key,
      setTimeout(() => this.timedOut(chapter.id, step), step.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    )
    this.options.broadcast({ type: 'step-running', chapterId: chapter.id, stepId: step.id })
  }

  commandFinished(terminal: string, command: FinishedCommand, locale: Locale): void {
    const open = this.options.gate.openChapters()
    const current = open.filter((c) => c.id === this.options.store.progress.currentChapter)
    // A command such as `kubectl get nodes` may be a step of several chapters: credit the chapter on screen first.
    const inCurrent = this.tracker.finished(terminal, command, current, locale)
    const results = inCurrent.length > 0 ? inCurrent : this.tracker.evaluate(terminal, command, open, locale)
    for (const result of results) this.finished(result)
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }

  private finished(result: StepResult): void {
    const key = `${result.chapterId}/${result.stepId}`
    clearTimeout(this.pending.get(key))
    this.pending.delete(key)
    this.last.set(key, result)
    const { store } = this.options
    if (result.ok && !store.chapter(result.chapterId).stepsDone.includes(result.stepId)) {
      store.updateChapter(result.chapterId, (state) => state.stepsDone.push(result.stepId))
    }
    this.options.emit({
      type: 'step-finished',
      at: result.at,
      chapterId: result.chapterId,
      stepId: result.stepId,
      ok: result.ok,
      exitCode: result.exitCode,
    })
    this.options.broadcast({ type: 'step-result', result })
    this.options.progressChanged()
  }

  private timedOut(chapterId: string, step: Step): void {
    const timeoutMs = step.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.finished({
      chapterId,
      stepId: step.id,
      ok: false,
      exitCode: null,
      expectedExitCode: step.exitCode ?? 0,
      output: '',
      outcomes: [],
      reason: `the command did not finish within ${formatDuration(timeoutMs)}`,
      at: Date.now(),
    })
  }
}

function formatDuration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`
}
