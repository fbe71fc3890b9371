/**
 * The course as the hub holds progress events against it: each chapter's steps, checks and required chapters, next to
 * the id, order and titles the dashboard shows.
 *
 * Why the hub checks events instead of keeping a progress snapshot the runner would send: the hub cannot see a
 * learner's lab, so whatever reaches it is the runner's word, and a snapshot is as easy to forge as events for anyone
 * holding the workshop code. What the hub can do is hold every row to the rules of the course, the ones the runner's
 * own gate enforces (runner/progress/gates.ts): an event names only chapters, steps and checks the course has, and a
 * chapter counts as completed only after this row reported a run of its checks all passing (a chapter without checks:
 * each of its required steps done), and only once the chapters it requires are completed in the same row. A real
 * runner never breaks these rules, so nothing it sends is refused; a client that invents progress is refused unless
 * it replays the course's own sequence of results, and even then it can claim nothing the course does not have.
 */
import type { Course } from '../../protocol/course.ts'
import type { ChapterInfo } from '../../protocol/hub.ts'
import type { LearnerEvent } from '../../protocol/learner-event.ts'
import { HubError } from './hub-error.ts'

/** A chapter as the hub knows it; a list left out means the chapter has none (events naming one are refused). */
export interface HubChapter extends ChapterInfo {
  /** [steps=[]] The chapter's steps; optional ones do not hold back a chapter without checks. */
  steps?: Array<{ id: string; optional?: boolean }>
  /** [checks=[]] Check ids, in the order the runner runs them. */
  checks?: string[]
  /** [requires=[]] Chapters that must be completed before this one. */
  requires?: string[]
}

/** What the hub needs of a course (scripts/instructor.ts passes the loaded course through this). */
export function hubChapters(course: Course): HubChapter[] {
  return course.chapters.map((c) => ({
    id: c.id,
    order: c.order,
    title: c.title.en,
    titleZh: c.title.zh,
    steps: c.steps.map((s) => ({ id: s.id, optional: s.optional })),
    checks: c.checks.map((check) => check.id),
    requires: c.requires,
  }))
}

/** One row's reported results, as the completion rule reads them. */
export interface RowResults {
  completed: readonly string[]
  /** `chapterId/checkId` -> latest result. */
  checks: ReadonlyMap<string, boolean>
  /** `chapterId/stepId` of the steps that passed. */
  stepsDone: ReadonlySet<string>
}

export class CourseOutline {
  /** Sorted by order. */
  readonly chapters: HubChapter[]
  private readonly byId: Map<string, HubChapter>
  /** `chapterId/stepId` and `chapterId/checkId` of the course: every event is looked up here. */
  private readonly steps: Set<string>
  private readonly checks: Set<string>

  constructor(chapters: HubChapter[]) {
    this.chapters = [...chapters].sort((a, b) => a.order - b.order)
    this.byId = new Map(this.chapters.map((c) => [c.id, c]))
    this.steps = new Set(this.chapters.flatMap((c) => (c.steps ?? []).map((s) => `${c.id}/${s.id}`)))
    this.checks = new Set(this.chapters.flatMap((c) => (c.checks ?? []).map((id) => `${c.id}/${id}`)))
  }

  /** The chapters as the dashboard's schema has them (steps and checks stay on the hub). */
  info(): ChapterInfo[] {
    return this.chapters.map(({ id, order, title, titleZh }) =>
      titleZh === undefined ? { id, order, title } : { id, order, title, titleZh },
    )
  }

  has(chapterId: string): boolean {
    return this.byId.has(chapterId)
  }

  /**
   * Throws when the event names a chapter, step or check the course does not have. A lab status may name no chapter
   * (the runner reports its lab before the learner opens one).
   */
  validate(event: LearnerEvent): void {
    if (event.type === 'lab-status' && event.chapterId === '') return
    const chapter = this.byId.get(event.chapterId)
    if (!chapter) throw new HubError('HUB_UNKNOWN_CHAPTER', `no chapter "${event.chapterId}" in this course`)
    if (event.type === 'step-finished' && !this.steps.has(`${chapter.id}/${event.stepId}`)) {
      throw new HubError('HUB_UNKNOWN_STEP', `chapter "${chapter.id}" has no step "${event.stepId}"`)
    }
    if (event.type === 'check-finished' && !this.checks.has(`${chapter.id}/${event.checkId}`)) {
      throw new HubError('HUB_UNKNOWN_CHECK', `chapter "${chapter.id}" has no check "${event.checkId}"`)
    }
  }

  /** The check that ends a run of the chapter's checks. */
  isLastCheck(chapterId: string, checkId: string): boolean {
    return this.byId.get(chapterId)?.checks?.at(-1) === checkId
  }

  /** The chapters `chapterId` requires that are not in `completed`, as the reasons `missing` gives. */
  missingRequires(chapterId: string, completed: readonly string[]): string[] {
    const requires = this.byId.get(chapterId)?.requires ?? []
    return requires
      .filter((id) => this.byId.has(id) && !completed.includes(id))
      .map((id) => `chapter "${id}" completed`)
  }

  /** What keeps a (known) chapter from counting as completed for this row; empty when nothing does. */
  missing(chapterId: string, row: RowResults): string[] {
    const chapter = this.byId.get(chapterId)
    if (!chapter) return [`chapter "${chapterId}"`]
    const { checks = [], steps = [] } = chapter
    const missing = this.missingRequires(chapterId, row.completed)
    if (checks.length > 0) {
      missing.push(
        ...checks.filter((id) => row.checks.get(`${chapterId}/${id}`) !== true).map((id) => `check "${id}" passed`),
      )
    } else {
      missing.push(
        ...steps
          .filter((s) => !s.optional && !row.stepsDone.has(`${chapterId}/${s.id}`))
          .map((s) => `step "${s.id}" done`),
      )
    }
    return missing
  }
}
