/**
 * One learner's live state, composed of one part per concept: the gate (progress view, pace, revealed solutions),
 * terminals, step runs, checks, the workshop's help request and notifications, and the topology diagram's feed.
 * Every browser tab of the learner subscribes to the same state, so a reload or a second tab sees the same terminals
 * and verdicts. Nothing here is per tab: the locale a request is answered in comes with the request.
 */

import type { LabBackend } from '../lab/backend.ts'
import type { Course, Locale } from '../protocol/course.ts'
import type { Pace } from '../protocol/hub.ts'
import type { LearnerEvent } from '../protocol/learner-event.ts'
import type {
  ChapterCheckResult,
  LabStatusView,
  Notification,
  ProgressView,
  ServerEvent,
} from '../protocol/messages.ts'
import { solutionCommands } from '../protocol/step-commands.ts'
import { LabSections } from './lab-sections.ts'
import { ChapterGate } from './progress/chapter-gate.ts'
import { ProgressStore } from './progress/progress-store.ts'
import { LabRequestError } from './request-error.ts'
import { type Tab, Tabs } from './server/tabs.ts'
import { StepRuns } from './steps/step-runs.ts'
import type { PtySession } from './terminal/pty-session.ts'
import { Terminals } from './terminal/terminals.ts'
import { TopologyFeed } from './topology/topology-feed.ts'
import { TopologyReader } from './topology/topology-reader.ts'
import { ChapterChecks } from './verify/chapter-checks.ts'
import { HelpRequest } from './workshop/help-request.ts'
import { Notifications } from './workshop/notifications.ts'

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
  private readonly gate: ChapterGate
  private readonly tabs = new Tabs()
  private readonly terminals: Terminals
  private readonly steps: StepRuns
  private readonly checks: ChapterChecks
  private readonly help: HelpRequest
  private readonly notifications: Notifications
  private readonly topology: TopologyFeed
  private readonly sections: LabSections

  constructor(private readonly options: LearnerOptions) {
    const { course, lab, emit } = options
    const broadcast = (event: ServerEvent) => this.broadcast(event)
    this.store = new ProgressStore(options.progressDir)
    this.gate = new ChapterGate(course, this.store)
    this.terminals = new Terminals({
      course,
      lab,
      progressDir: options.progressDir,
      rcFile: options.rcFile,
      onCommand: (terminal, command, locale) => this.steps.commandFinished(terminal, command, locale),
      onExit: (terminal, exitCode) => this.broadcast({ type: 'terminal-exit', terminal, exitCode }),
    })
    this.steps = new StepRuns({
      store: this.store,
      gate: this.gate,
      terminals: this.terminals,
      emit,
      broadcast,
      progressChanged: () => this.progressChanged(),
    })
    this.checks = new ChapterChecks({ lab, store: this.store, tabs: this.tabs, emit })
    this.help = new HelpRequest(emit, broadcast)
    this.notifications = new Notifications(broadcast)
    const reader = new TopologyReader(lab)
    this.topology = new TopologyFeed({ read: () => reader.read() })
    this.sections = new LabSections(lab, (section, error) =>
      console.error(`lab runner: preparing the lab for section ${section} failed:`, error),
    )
  }

  subscribe(tab: Tab): () => void {
    const off = this.tabs.add(tab)
    tab({
      type: 'hello',
      lab: this.options.labStatus(),
      progress: this.progressView(),
      steps: this.steps.results(),
      checks: this.checks.results(),
      notifications: this.notifications.all(),
      workshop: this.help.view(),
    })
    return off
  }

  broadcast(event: ServerEvent): void {
    this.tabs.broadcast(event)
  }

  progressView(): ProgressView {
    return this.gate.view()
  }

  /** The instructor's pace: chapters past its order lock in every tab. */
  setPace(pace: Pace): void {
    this.gate.pace = pace
    this.progressChanged()
  }

  /** The terminal `id`, started on first use (its scrollback marker in `locale`); refused if no chapter declares it. */
  terminal(id: string, locale?: Locale, size?: { cols: number; rows: number }): PtySession {
    return this.terminals.open(id, locale, size)
  }

  existingTerminal(id: string): PtySession | undefined {
    return this.terminals.existing(id)
  }

  input(terminal: string, data: string, locale: Locale): void {
    this.terminals.input(terminal, data, locale)
  }

  openChapter(chapterId: string): void {
    this.sections.enter(this.gate.open(chapterId))
    if (this.store.progress.currentChapter !== chapterId) this.store.update((p) => (p.currentChapter = chapterId))
    this.options.emit({ type: 'chapter-opened', at: Date.now(), chapterId })
    this.progressChanged()
  }

  runStep(chapterId: string, stepId: string, locale: Locale): void {
    const chapter = this.gate.open(chapterId)
    const step = chapter.steps.find((s) => s.id === stepId)
    if (!step) throw new LabRequestError('LAB_UNKNOWN_STEP', `chapter "${chapterId}" has no step "${stepId}"`)
    this.steps.run(chapter, step, locale)
  }

  /** Runs the chapter's checks, reasons in `locale`; `asking` gets the verdict as its reply, the other tabs as an event. */
  async check(chapterId: string, locale: Locale, asking?: Tab): Promise<ChapterCheckResult> {
    const result = await this.checks.run(this.gate.open(chapterId), locale, asking)
    // Passing the chapter answers a help request about it.
    if (result.ok) this.help.ask(chapterId, false)
    this.progressChanged()
    return result
  }

  /** Types the chapter's solution into its first terminal, where the learner sees it run. */
  solve(chapterId: string, locale: Locale): void {
    const chapter = this.gate.open(chapterId)
    const commands = solutionCommands(chapter)
    if (commands.length > 0) this.terminals.type(chapter.terminals[0]?.id ?? 'main', commands, locale)
  }

  revealSolution(chapterId: string): void {
    this.gate.reveal(chapterId)
    this.progressChanged()
  }

  setWorkshop(joined: boolean): void {
    this.help.setJoined(joined)
  }

  /** "I'm stuck" on an open chapter, or withdrawing it. */
  askHelp(chapterId: string, asking: boolean, note?: string): void {
    this.gate.open(chapterId)
    this.help.ask(chapterId, asking, note)
  }

  /** The tab shows the topology diagram: it gets the lab's topology as it changes, until it calls the result. */
  watchTopology(tab: Tab): () => void {
    return this.topology.subscribe(tab)
  }

  notify(notification: Omit<Notification, 'id' | 'at'>): Notification {
    return this.notifications.notify(notification)
  }

  async dispose(): Promise<void> {
    this.steps.dispose()
    this.topology.dispose()
    await this.sections.settled()
    this.tabs.clear()
    await this.terminals.dispose()
  }

  private progressChanged(): void {
    this.broadcast({ type: 'progress', progress: this.progressView() })
  }
}
