/**
 * One learner's live state: terminals, progress, the last step and check results, notifications. Every browser tab
 * of the learner subscribes to the same state, so a reload or a second tab sees the same terminals and verdicts.
 */
import { join } from 'node:path'
import type { Chapter, Course, Locale } from '../protocol/course.ts'
import type { LearnerEvent } from '../protocol/learner-event.ts'
import type { ChapterCheckResult, CheckResult, LabStatusView, Notification, ProgressView, ServerEvent, StepResult, WorkshopView } from '../protocol/messages.ts'
import type { LabBackend } from '../lab/backend.ts'
import type { Pace } from '../protocol/hub.ts'
import { lockOf } from './progress/gates.ts'
import { removeStaleTemps } from './progress/atomic-write.ts'
import { ProgressStore } from './progress/progress-store.ts'
import { LabRequestError } from './request-error.ts'
import { StepTracker, stepCommands } from './steps/step-tracker.ts'
import { PtySession } from './terminal/pty-session.ts'
import { ScrollbackStore } from './terminal/scrollback-store.ts'
import { runCheck } from './verify/run-check.ts'

export interface LearnerOptions {
  course: Course
  lab: LabBackend
  /** Directory of this learner's progress file. */
  progressDir: string
  rcFile: string
  labStatus: () => LabStatusView
  emit: (event: LearnerEvent) => void
}

export class Learner {
  readonly store: ProgressStore
  pace: Pace = null
  private locale: Locale = 'en'
  private readonly terminals = new Map<string, PtySession>()
  private readonly scrollback: ScrollbackStore
  /** Terminal id -> stops saving its output (saving it one last time). */
  private readonly saving = new Map<string, () => void>()
  private readonly tracker = new StepTracker()
  private readonly clients = new Set<(event: ServerEvent) => void>()
  private readonly lastSteps = new Map<string, StepResult>()
  private readonly lastChecks = new Map<string, ChapterCheckResult>()
  private readonly pendingRuns = new Map<string, NodeJS.Timeout>()
  private readonly checking = new Set<string>()
  private readonly revealed = new Set<string>()
  private readonly notifications: Notification[] = []
  private workshop: WorkshopView = { joined: false, help: null }
  private nextNotification = 1

  constructor(private readonly options: LearnerOptions) {
    this.store = new ProgressStore(options.progressDir)
    removeStaleTemps(join(options.progressDir, 'terminals'))
    this.scrollback = new ScrollbackStore(join(options.progressDir, 'terminals'))
  }

  private get course(): Course {
    return this.options.course
  }

  subscribe(send: (event: ServerEvent) => void): () => void {
    this.clients.add(send)
    send({ type: 'hello', lab: this.options.labStatus(), progress: this.progressView(), steps: [...this.lastSteps.values()], checks: [...this.lastChecks.values()], notifications: this.notifications, workshop: this.workshop })
    return () => this.clients.delete(send)
  }

  broadcast(event: ServerEvent): void {
    for (const send of this.clients) send(event)
  }

  progressView(): ProgressView {
    const chapters: ProgressView['chapters'] = {}
    for (const chapter of this.course.chapters) {
      const state = this.store.chapter(chapter.id)
      chapters[chapter.id] = { ...state, locked: this.lock(chapter.id), solutionRevealed: this.revealed.has(chapter.id) }
    }
    return { currentChapter: this.store.progress.currentChapter, chapters }
  }

  /** The terminal `id`, started on first use; refused if no chapter declares it. */
  terminal(id: string, size?: { cols: number; rows: number }): PtySession {
    const existing = this.terminals.get(id)
    if (existing?.alive) return existing
    if (!this.course.chapters.some((c) => c.terminals.some((t) => t.id === id))) {
      throw new LabRequestError('LAB_UNKNOWN_TERMINAL', `no chapter has a terminal "${id}"`)
    }
    // The shell lives on the lab host, which exists only once the lab is up; the page re-attaches when it is.
    const { state } = this.options.lab.status()
    if (state !== 'ready') throw new LabRequestError('LAB_NOT_READY', `the lab is ${state}: the terminal opens when it is ready`)
    this.saving.get(id)?.()
    const history = this.scrollback.history(id, this.locale) ?? undefined
    const session = new PtySession({ id, shell: this.options.lab.shell(), rcFile: this.options.rcFile, ...size, history })
    this.saving.set(id, this.scrollback.follow(session))
    session.onCommand((command) => this.commandFinished(id, command))
    session.onExit((exitCode) => this.broadcast({ type: 'terminal-exit', terminal: id, exitCode }))
    this.terminals.set(id, session)
    return session
  }

  existingTerminal(id: string): PtySession | undefined {
    return this.terminals.get(id)
  }

  openChapter(chapterId: string, locale: Locale): void {
    this.locale = locale
    this.openChapterOrThrow(chapterId)
    if (this.store.progress.currentChapter !== chapterId) this.store.update((p) => (p.currentChapter = chapterId))
    this.options.emit({ type: 'chapter-opened', at: Date.now(), chapterId })
    this.broadcast({ type: 'progress', progress: this.progressView() })
  }

  runStep(chapterId: string, stepId: string): void {
    const chapter = this.openChapterOrThrow(chapterId)
    const step = chapter.steps.find((s) => s.id === stepId)
    if (!step) throw new LabRequestError('LAB_UNKNOWN_STEP', `chapter "${chapterId}" has no step "${stepId}"`)
    const terminal = this.terminal(step.terminal ?? 'main')
    const key = `${chapterId}/${stepId}`
    clearTimeout(this.pendingRuns.get(key))
    this.pendingRuns.set(key, setTimeout(() => this.runTimedOut(chapterId, stepId), step.timeoutMs ?? 60_000))
    this.broadcast({ type: 'step-running', chapterId, stepId })
    terminal.write(stepCommands(step).join('\n') + '\n')
  }

  async check(chapterId: string): Promise<ChapterCheckResult> {
    const chapter = this.openChapterOrThrow(chapterId)
    if (this.checking.has(chapterId)) throw new LabRequestError('LAB_BUSY', `the checks of "${chapterId}" are already running`)
    this.checking.add(chapterId)
    this.broadcast({ type: 'checks-running', chapterId })
    try {
      const checks: CheckResult[] = []
      for (const check of chapter.checks) {
        const result = await runCheck(check, this.options.lab, this.locale)
        checks.push(result)
        this.options.emit({ type: 'check-finished', at: Date.now(), chapterId, checkId: check.id, ok: result.ok, reason: result.reason || undefined, output: result.output.slice(-8000) || undefined })
      }
      const result: ChapterCheckResult = { chapterId, ok: checks.every((c) => c.ok), checks, at: Date.now() }
      const newlyCompleted = result.ok && !this.store.chapter(chapterId).completed
      this.store.updateChapter(chapterId, (state) => {
        state.checksPassed = checks.filter((c) => c.ok).map((c) => c.checkId)
        if (result.ok) state.completed = true
      })
      if (newlyCompleted) this.options.emit({ type: 'chapter-completed', at: Date.now(), chapterId })
      // Passing the chapter answers a help request about it.
      if (result.ok) this.askHelp(chapterId, false)
      this.lastChecks.set(chapterId, result)
      this.broadcast({ type: 'check-result', result })
      this.broadcast({ type: 'progress', progress: this.progressView() })
      return result
    } finally {
      this.checking.delete(chapterId)
    }
  }

  /** Types the chapter's solution into its first terminal, where the learner sees it run. */
  solve(chapterId: string): void {
    const chapter = this.openChapterOrThrow(chapterId)
    const commands = chapter.solution?.run ?? chapter.steps.flatMap((s) => stepCommands(s))
    if (commands.length === 0) return
    this.terminal(chapter.terminals[0]?.id ?? 'main').write(commands.join('\n') + '\n')
  }

  revealSolution(chapterId: string): void {
    this.revealed.add(chapterId)
    this.broadcast({ type: 'progress', progress: this.progressView() })
  }

  setWorkshop(joined: boolean): void {
    if (this.workshop.joined === joined) return
    this.workshop = { ...this.workshop, joined }
    this.broadcast({ type: 'workshop', workshop: this.workshop })
  }

  /** "I'm stuck": the request goes to the instructor with the progress events, until withdrawn or the chapter passes. */
  askHelp(chapterId: string, asking: boolean, note?: string): void {
    this.openChapterOrThrow(chapterId)
    if (asking && !this.workshop.joined) throw new LabRequestError('LAB_NO_WORKSHOP', 'no instructor is connected: ask for help once your runner has joined a workshop')
    if (!asking && this.workshop.help?.chapterId !== chapterId) return
    this.workshop = { ...this.workshop, help: asking ? { chapterId, note, at: Date.now() } : null }
    this.options.emit({ type: 'help', at: Date.now(), chapterId, asking, ...(asking && note ? { note } : {}) })
    this.broadcast({ type: 'workshop', workshop: this.workshop })
  }

  notify(notification: Omit<Notification, 'id' | 'at'>): Notification {
    const full = { ...notification, id: this.nextNotification++, at: Date.now() }
    this.notifications.push(full)
    if (this.notifications.length > 20) this.notifications.shift()
    this.broadcast({ type: 'notification', notification: full })
    return full
  }

  async dispose(): Promise<void> {
    for (const timer of this.pendingRuns.values()) clearTimeout(timer)
    this.pendingRuns.clear()
    this.clients.clear()
    for (const stop of this.saving.values()) stop()
    this.saving.clear()
    await Promise.all([...this.terminals.values()].map((t) => t.dispose()))
    this.terminals.clear()
  }

  private lock(chapterId: string) {
    return lockOf(this.course, chapterId, (id) => this.store.chapter(id), this.pace)
  }

  /** The gate, enforced here: every request for a chapter goes through it. */
  private openChapterOrThrow(chapterId: string): Chapter {
    const chapter = this.course.chapters.find((c) => c.id === chapterId)
    if (!chapter) throw new LabRequestError('LAB_UNKNOWN_CHAPTER', `no chapter "${chapterId}"`)
    const lock = this.lock(chapterId)
    if (lock?.kind === 'instructor') throw new LabRequestError('LAB_CHAPTER_LOCKED', `chapter "${chapterId}" is locked by the instructor (open up to order ${lock.upToOrder})`)
    if (lock) throw new LabRequestError('LAB_CHAPTER_LOCKED', `chapter "${chapterId}" is locked until these chapters pass their checks: ${lock.missing.join(', ')}`)
    return chapter
  }

  private commandFinished(terminal: string, command: Parameters<StepTracker['finished']>[1]): void {
    const open = this.course.chapters.filter((c) => this.lock(c.id) === null)
    const current = open.filter((c) => c.id === this.store.progress.currentChapter)
    // A command such as `kubectl get nodes` may be a step of several chapters: credit the chapter on screen first.
    const inCurrent = this.tracker.finished(terminal, command, current, this.locale)
    const results = inCurrent.length > 0 ? inCurrent : this.tracker.evaluate(terminal, command, open, this.locale)
    for (const result of results) this.stepFinished(result)
  }

  private stepFinished(result: StepResult): void {
    const key = `${result.chapterId}/${result.stepId}`
    clearTimeout(this.pendingRuns.get(key))
    this.pendingRuns.delete(key)
    this.lastSteps.set(key, result)
    if (result.ok && !this.store.chapter(result.chapterId).stepsDone.includes(result.stepId)) {
      this.store.updateChapter(result.chapterId, (state) => state.stepsDone.push(result.stepId))
    }
    this.options.emit({ type: 'step-finished', at: result.at, chapterId: result.chapterId, stepId: result.stepId, ok: result.ok, exitCode: result.exitCode })
    this.broadcast({ type: 'step-result', result })
    this.broadcast({ type: 'progress', progress: this.progressView() })
  }

  private runTimedOut(chapterId: string, stepId: string): void {
    const step = this.course.chapters.find((c) => c.id === chapterId)?.steps.find((s) => s.id === stepId)
    if (!step) return
    this.stepFinished({ chapterId, stepId, ok: false, exitCode: null, expectedExitCode: step.exitCode ?? 0, output: '', outcomes: [], reason: `the command did not finish within ${formatDuration(step.timeoutMs ?? 60_000)}`, at: Date.now() })
  }
}

function formatDuration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`
}
