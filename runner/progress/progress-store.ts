/**
 * A learner's progress on disk (steps done, checks passed, chapters completed, current chapter), written
 * atomically (temp file, fsync, rename) so a crash or a killed runner never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './atomic-write.ts'

const chapterStateSchema = z.object({
  stepsDone: z.array(z.string()).default([]),
  /** Checks whose latest run passed. */
  checksPassed: z.array(z.string()).default([]),
  /** Every check passed in one run once: sticky, so a later lab change does not re-lock the chapters after it. */
  completed: z.boolean().default(false),
})

const progressSchema = z.object({
  version: z.literal(1),
  currentChapter: z.string().nullable().default(null),
  chapters: z.record(z.string(), chapterStateSchema).default({}),
})

export type ChapterState = z.infer<typeof chapterStateSchema>
export type Progress = z.infer<typeof progressSchema>

export class ProgressStoreError extends Error {
  readonly code = 'LAB_PROGRESS_CORRUPT'
}

export class ProgressStore {
  readonly file: string
  private state: Progress

  /** @param dir directory of this learner's progress (created if missing). */
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true })
    this.file = join(dir, 'progress.json')
    this.state = existsSync(this.file) ? this.read() : progressSchema.parse({ version: 1 })
  }

  get progress(): Readonly<Progress> {
    return this.state
  }

  chapter(id: string): ChapterState {
    return this.state.chapters[id] ?? { stepsDone: [], checksPassed: [], completed: false }
  }

  /** Applies a change and persists it before returning. */
  update(change: (progress: Progress) => void): void {
    const next = structuredClone(this.state)
    change(next)
    this.write(next)
    this.state = next
  }

  /** Mutates the chapter's entry (created on first use). */
  updateChapter(id: string, change: (chapter: ChapterState) => void): void {
    this.update((p) => {
      const chapter = (p.chapters[id] ??= { stepsDone: [], checksPassed: [], completed: false })
      change(chapter)
    })
  }

  private read(): Progress {
    try {
      return progressSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
    } catch (error) {
      throw new ProgressStoreError(`cannot read progress file ${this.file}: ${(error as Error).message}; move it away to start over`)
    }
  }

  private write(progress: Progress): void {
    writeFileAtomic(this.file, JSON.stringify(progress, null, 2) + '\n')
  }
}
