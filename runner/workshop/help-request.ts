/**
 * The learner's link to a workshop: whether an instructor is connected, and the learner's "I'm stuck" request, which
 * goes to the instructor with the progress events until withdrawn or the chapter passes.
 */
import type { LearnerEvent } from '../../protocol/learner-event.ts'
import type { ServerEvent, WorkshopView } from '../../protocol/messages.ts'
import { LabRequestError } from '../request-error.ts'

export class HelpRequest {
  private current: WorkshopView = { joined: false, help: null }

  constructor(
    private readonly emit: (event: LearnerEvent) => void,
    private readonly broadcast: (event: ServerEvent) => void,
  ) {}

  view(): WorkshopView {
    return this.current
  }

  setJoined(joined: boolean): void {
    if (this.current.joined === joined) return
    this.current = { ...this.current, joined }
    this.broadcast({ type: 'workshop', workshop: this.current })
  }

  /** Asks for help on the chapter, or withdraws the request about it (`asking: false`; nothing if there is none). */
  ask(chapterId: string, asking: boolean, note?: string): void {
    if (asking && !this.current.joined)
      throw new LabRequestError(
        'LAB_NO_WORKSHOP',
        'no instructor is connected: ask for help once your runner has joined a workshop',
      )
    if (!asking && this.current.help?.chapterId !== chapterId) return
    this.current = { ...this.current, help: asking ? { chapterId, note, at: Date.now() } : null }
    this.emit({ type: 'help', at: Date.now(), chapterId, asking, ...(asking && note ? { note } : {}) })
    this.broadcast({ type: 'workshop', workshop: this.current })
  }
}
