/**
 * What the instructor side needs from a learner's runner (runner/ implements it): its progress events out, and the
 * instructor's controls in. Declared here as the narrow surface the join client uses, so the hub side never imports
 * runner internals.
 */
import type { LearnerEvent } from '../protocol/learner-event.ts'
import type { Notice, Pace } from '../protocol/hub.ts'

export interface RunnerHooks {
  /** Subscribe to progress events; returns the unsubscribe function. */
  addObserver(observer: { onEvent(event: LearnerEvent): void }): () => void
  /** The instructor's gate: chapters with a higher order stay locked (null lifts it). */
  setPace(pace: Pace): void
  /** Show a broadcast or a hint to the learner. */
  notify(notice: Notice): void
  /** Read-only copy of a terminal's output: the replay first, then live output; returns the unsubscribe function. */
  mirrorTerminal(terminalId: string, listener: (data: Buffer) => void): () => void
  /** Show the chapter's solution to the learner. */
  revealSolution(chapterId: string): void
  /** Chapters completed in the runner's progress store, earlier sessions included (sent to the hub on joining). */
  completedChapters(): string[]
}
