/**
 * Brings a fresh lab to the start of chapter N by running the course's solutions of every earlier chapter, in order,
 * on the lab host: each chapter's `solution.run`, or its step commands when it declares none (what Solve runs).
 */

import { HubError } from '../instructor/hub/hub-error.ts'
import type { LabBackend } from '../lab/backend.ts'
import type { Chapter } from '../protocol/course.ts'
import { stepCommands } from '../protocol/step-commands.ts'

/** The commands Solve runs for a chapter. */
export function solutionCommands(chapter: Chapter): string[] {
  if (chapter.solution?.run) return chapter.solution.run
  return chapter.steps.filter((s) => !s.optional).flatMap((s) => stepCommands(s))
}

/** Runs the solutions of chapters ordered before `chapterOrder`; throws `HUB_RESET_FAILED` at the first failing command. */
export async function replaySolutions(
  lab: Pick<LabBackend, 'exec'>,
  chapters: Chapter[],
  chapterOrder: number,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<number> {
  let ran = 0
  const earlier = chapters.filter((c) => c.order < chapterOrder).sort((a, b) => a.order - b.order)
  for (const chapter of earlier) {
    for (const command of solutionCommands(chapter)) {
      const result = await lab.exec(command, { timeoutMs: options.timeoutMs ?? 300_000, signal: options.signal })
      ran++
      if (result.exitCode !== 0 || result.timedOut) {
        const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
        throw new HubError(
          'HUB_RESET_FAILED',
          [
            `replaying ${chapter.id}: \`${command}\` ${result.timedOut ? 'timed out' : `exited ${result.exitCode}`}`,
            tail,
          ].join('\n  '),
        )
      }
    }
  }
  return ran
}
