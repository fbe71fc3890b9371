/**
 * The gate, enforced in the runner: every request for a chapter goes through `open`, which refuses a locked one with
 * the same reasons the page shows (from `view`). The instructor's pace and revealed solutions live here with it.
 */
import type { Chapter, Course } from '../../protocol/course.ts'
import type { Pace } from '../../protocol/hub.ts'
import type { LockReason, ProgressView } from '../../protocol/messages.ts'
import { LabRequestError } from '../request-error.ts'
import { lockOf } from './gates.ts'
import type { ProgressStore } from './progress-store.ts'

export class ChapterGate {
  pace: Pace = null
  private readonly revealed = new Set<string>()

  constructor(
    private readonly course: Course,
    private readonly store: ProgressStore,
  ) {}

  view(): ProgressView {
    const chapters: ProgressView['chapters'] = {}
    for (const chapter of this.course.chapters) {
      const state = this.store.chapter(chapter.id)
      chapters[chapter.id] = {
        ...state,
        locked: this.lock(chapter.id),
        solutionRevealed: this.revealed.has(chapter.id),
      }
    }
    return { currentChapter: this.store.progress.currentChapter, chapters }
  }

  /** The chapter, if it exists and is open; refused with why otherwise. */
  open(chapterId: string): Chapter {
    const chapter = this.course.chapters.find((c) => c.id === chapterId)
    if (!chapter) throw new LabRequestError('LAB_UNKNOWN_CHAPTER', `no chapter "${chapterId}"`)
    const lock = this.lock(chapterId)
    if (lock?.kind === 'instructor')
      throw new LabRequestError(
        'LAB_CHAPTER_LOCKED',
        `chapter "${chapterId}" is locked by the instructor (open up to order ${lock.upToOrder})`,
      )
    if (lock)
      throw new LabRequestError(
        'LAB_CHAPTER_LOCKED',
        `chapter "${chapterId}" is locked until these chapters pass their checks: ${lock.missing.join(', ')}`,
      )
    return chapter
  }

  openChapters(): Chapter[] {
    return this.course.chapters.filter((c) => this.lock(c.id) === null)
  }

  reveal(chapterId: string): void {
    this.revealed.add(chapterId)
  }

  private lock(chapterId: string): LockReason | null {
    return lockOf(this.course, chapterId, (id) => this.store.chapter(id), this.pace)
  }
}
