/**
 * What the workshop side (the join client, hosted labs) needs from a learner's runner: its progress events out, and
 * the instructor's controls in. One definition: runner/runner.ts's Runner extends it, and instructor/ depends on this
 * narrow surface only, never on runner internals.
 */
import type { Notice, Pace } from './hub.ts'
import type { LearnerEvent } from './learner-event.ts'

export interface LearnerObserver {
  onEvent(event: LearnerEvent): void
}

export interface RunnerHooks {
  /** Subscribe to progress events; returns the unsubscribe function. */
  addObserver(observer: LearnerObserver): () => void
  /** The instructor's gate: chapters with a higher order stay locked (null lifts it). */
  setPace(pace: Pace): void
  /** Show a broadcast or a hint to the learner. */
  notify(notice: Notice): void
  /** Read-only copy of a terminal's output: the replay first, then live output; returns the unsubscribe function. */
  mirrorTerminal(terminalId: string, listener: (data: Uint8Array) => void): () => void
  /** Show the chapter's solution to the learner. */
  revealSolution(chapterId: string): void
  /** Chapters completed in the runner's progress store, earlier sessions included (sent to the hub on joining). */
  completedChapters(): string[]
  /** Whether a workshop hub hears this learner now (the page offers "I'm stuck" only then). */
  setWorkshop(joined: boolean): void
}
