/**
 * The commands a step types and a chapter's Solve types, read by the page (to show them) and by the runner (to type
 * them): one reading, so Run types exactly what the page shows. Type-only imports, so the page bundle carries no zod.
 */
import type { Chapter, Step } from './course.ts'

export function stepCommands(step: Pick<Step, 'run'>): string[] {
  return Array.isArray(step.run) ? step.run : [step.run]
}

/** The chapter's own solution, or else every step's commands in order. */
export function solutionCommands(chapter: Pick<Chapter, 'solution' | 'steps'>): string[] {
  return chapter.solution?.run ?? chapter.steps.flatMap((step) => stepCommands(step))
}
