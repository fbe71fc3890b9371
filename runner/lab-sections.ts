/**
 * Gated sections that need the lab rebuilt before their first step: on the real lab, the BGP v2 section runs on a
 * newer cluster than the one the learner built (lab/real/section-install.ts). Opening a chapter of such a section
 * starts the rebuild once; its progress and outcome reach the page as the lab's status, like `up`.
 */

import type { LabBackend } from '../lab/backend.ts'
import type { Chapter } from '../protocol/course.ts'

export class LabSections {
  private readonly started = new Map<string, Promise<void>>()

  constructor(
    private readonly lab: LabBackend,
    /** A preparation failed: the lab's status already says why; this is for the runner's own log. */
    private readonly failed: (section: string, error: unknown) => void,
  ) {}

  /** Starts preparing `chapter`'s section if the lab needs to and has not yet; never throws. */
  enter(chapter: Chapter): void {
    const { section } = chapter
    if (!section || !this.lab.prepareSection || this.started.has(section)) return
    const preparing = this.lab.prepareSection(section).catch((error: unknown) => {
      // A failed preparation may be tried again when the learner opens the chapter again (after fixing the cause).
      this.started.delete(section)
      this.failed(section, error)
    })
    this.started.set(section, preparing)
  }

  /** Resolves when every preparation started so far has ended. */
  async settled(): Promise<void> {
    await Promise.all(this.started.values())
  }
}
