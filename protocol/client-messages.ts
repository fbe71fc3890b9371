/**
 * What the browser may send on the lab socket, as a schema: the runner validates every text frame with it and closes
 * nothing over a bad one (it replies LAB_BAD_MESSAGE). Types are re-exported by messages.ts.
 */
import { z } from 'zod'
import { HELP_NOTE_MAX_CHARS } from './messages.ts'
import { INPUT_MAX_CHARS } from './terminal-input.ts'

const id = z.string().min(1).max(100)
const requestId = z.number().int().nonnegative()

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** Attach to a terminal; the runner replays output from byte `fromSeq` (0 after a reload). */
  z.strictObject({
    type: z.literal('attach'),
    terminal: id,
    fromSeq: z.number().int().nonnegative(),
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
  }),
  /**
   * Stop streaming a terminal to this tab (a hidden tab: xterm there writes, and so acknowledges, at the pace of the
   * browser's throttled timers, and output is held for the slowest attached tab). It attaches again from its seq.
   */
  z.strictObject({ type: z.literal('detach'), terminal: id }),
  z.strictObject({ type: z.literal('input'), terminal: id, data: z.string().max(INPUT_MAX_CHARS) }),
  z.strictObject({
    type: z.literal('resize'),
    terminal: id,
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
  }),
  /** Bytes xterm has finished writing since the last ack (from its write callback, batched: ACK_EVERY_BYTES in ack-batcher.ts); the runner resumes a paused pty on it. */
  z.strictObject({ type: z.literal('ack'), terminal: id, bytes: z.number().int().positive() }),
  /** The page of this chapter is shown; `locale` picks the language of failure reasons. */
  z.strictObject({ type: z.literal('open-chapter'), id: requestId, chapterId: id, locale: z.enum(['en', 'zh']) }),
  z.strictObject({ type: z.literal('run-step'), id: requestId, chapterId: id, stepId: id }),
  z.strictObject({ type: z.literal('check'), id: requestId, chapterId: id }),
  z.strictObject({ type: z.literal('solve'), id: requestId, chapterId: id }),
  /** "I'm stuck": asks the workshop's instructor for help on this chapter (`asking: false` withdraws it). */
  z.strictObject({
    type: z.literal('ask-help'),
    id: requestId,
    chapterId: id,
    asking: z.boolean(),
    note: z.string().max(HELP_NOTE_MAX_CHARS).optional(),
  }),
  /** A page shows the topology diagram: the runner polls the lab while at least one tab subscribes. */
  z.strictObject({ type: z.literal('topology-subscribe') }),
  z.strictObject({ type: z.literal('topology-unsubscribe') }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>
export type ClientRequest = Extract<ClientMessage, { id: number }>
