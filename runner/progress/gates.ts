/**
 * Which chapters are open. A chapter opens when every chapter it `requires` is completed (all its checks passed in
 * one run; a chapter without checks: all its non-optional steps done) and the instructor's pace allows its order.
 * The runner refuses requests for locked chapters with these reasons; the UI shows the same ones.
 */
import type { Chapter, Course } from '../../protocol/course.ts'
import type { Pace } from '../../protocol/hub.ts'
import type { LockReason } from '../../protocol/messages.ts'
import type { ChapterState } from './progress-store.ts'

export function isChapterComplete(chapter: Chapter, state: ChapterState): boolean {
  if (chapter.checks.length > 0) return state.completed
  return chapter.steps.every((step) => step.optional || state.stepsDone.includes(step.id))
}

export function lockOf(
  course: Course,
  chapterId: string,
  stateOf: (id: string) => ChapterState,
  pace: Pace,
): LockReason | null {
  const chapter = course.chapters.find((c) => c.id === chapterId)
  if (!chapter) return null
  if (pace && chapter.order > pace.upToOrder) return { kind: 'instructor', upToOrder: pace.upToOrder }
  const missing = chapter.requires.filter((id) => {
    const required = course.chapters.find((c) => c.id === id)
    return required !== undefined && !isChapterComplete(required, stateOf(id))
  })
  return missing.length > 0 ? { kind: 'requires', missing } : null
}
