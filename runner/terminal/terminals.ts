/**
 * A learner's terminals: one pty session per terminal id, started on first use on the lab host, each saving its
 * scrollback so the next runner's shell starts below it. Each terminal speaks the language of the tab that last
 * typed into it (or attached to it): that is whom its step verdicts and its scrollback marker are for.
 */
import { join } from 'node:path'
import type { LabBackend } from '../../lab/backend.ts'
import type { Course, Locale } from '../../protocol/course.ts'
import { removeStaleTemps } from '../progress/atomic-write.ts'
import { LabRequestError } from '../request-error.ts'
import { PtySession } from './pty-session.ts'
import { ScrollbackStore } from './scrollback-store.ts'
import type { FinishedCommand } from './shell-integration.ts'

export interface TerminalsOptions {
  course: Course
  lab: LabBackend
  /** Directory of this learner's progress: scrollback is saved in its `terminals/`. */
  progressDir: string
  rcFile: string
  /** A command finished in a terminal, with the locale of the tab that typed it. */
  onCommand: (terminal: string, command: FinishedCommand, locale: Locale) => void
  onExit: (terminal: string, exitCode: number) => void
}

export class Terminals {
  private readonly sessions = new Map<string, PtySession>()
  private readonly locales = new Map<string, Locale>()
  private readonly scrollback: ScrollbackStore
  /** Terminal id -> stops saving its output (saving it one last time). */
  private readonly saving = new Map<string, () => void>()

  constructor(private readonly options: TerminalsOptions) {
    const dir = join(options.progressDir, 'terminals')
    removeStaleTemps(dir)
    this.scrollback = new ScrollbackStore(dir)
  }

  /** The terminal `id`, started on first use; refused if no chapter declares it or the lab is not up. */
  open(id: string, locale?: Locale, size?: { cols: number; rows: number }): PtySession {
    // Refused before anything is kept for it: each id a tab made up stayed in `locales`, without limit.
    if (!this.options.course.chapters.some((c) => c.terminals.some((t) => t.id === id))) {
      throw new LabRequestError('LAB_UNKNOWN_TERMINAL', `no chapter has a terminal "${id}"`)
    }
    if (locale) this.locales.set(id, locale)
    const existing = this.sessions.get(id)
    if (existing?.alive) return existing
    // The shell lives on the lab host, which exists only once the lab is up; the page re-attaches when it is.
    const { state } = this.options.lab.status()
    if (state !== 'ready')
      throw new LabRequestError('LAB_NOT_READY', `the lab is ${state}: the terminal opens when it is ready`)
    this.saving.get(id)?.()
    const history = this.scrollback.history(id, this.localeOf(id)) ?? undefined
    const session = new PtySession({
      id,
      shell: this.options.lab.shell(),
      rcFile: this.options.rcFile,
      ...size,
      history,
    })
    this.saving.set(id, this.scrollback.follow(session))
    session.onCommand((command) => this.options.onCommand(id, command, this.localeOf(id)))
    session.onExit((exitCode) => this.options.onExit(id, exitCode))
    this.sessions.set(id, session)
    return session
  }

  existing(id: string): PtySession | undefined {
    return this.sessions.get(id)
  }

  /** Keystrokes or a paste from a tab; nothing when the terminal was never started (the tab re-attaches first). */
  input(id: string, data: string, locale: Locale): void {
    const session = this.sessions.get(id)
    if (!session) return
    this.locales.set(id, locale)
    session.write(data)
  }

  /** Types `commands` into the terminal, as Run and Solve do, where the learner sees them run. */
  type(id: string, commands: string[], locale: Locale): void {
    this.open(id, locale).write(`${commands.join('\n')}\n`)
  }

  async dispose(): Promise<void> {
    for (const stop of this.saving.values()) stop()
    this.saving.clear()
    await Promise.all([...this.sessions.values()].map((s) => s.dispose()))
    this.sessions.clear()
  }

  private localeOf(id: string): Locale {
    return this.locales.get(id) ?? 'en'
  }
}
