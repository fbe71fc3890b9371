/**
 * What a learner's runner reports about progress: the feed the instructor hub and any other observer consume.
 * Plain data, no DOM or Node types, so the runner, the hub and the dashboard all share it.
 */
import { z } from 'zod'
import { HELP_NOTE_MAX_CHARS } from './messages.ts'

const base = {
  /** Milliseconds since the epoch, from the runner's clock. */
  at: z.number().int().nonnegative(),
  chapterId: z.string().max(100),
}

export const learnerEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('chapter-opened'), ...base }),
  z.strictObject({
    type: z.literal('step-finished'),
    ...base,
    stepId: z.string().max(100),
    ok: z.boolean(),
    exitCode: z.number().int().nullable(),
  }),
  z.strictObject({
    type: z.literal('check-finished'),
    ...base,
    checkId: z.string().max(100),
    ok: z.boolean(),
    /** One-line learner-facing reason when it failed. */
    reason: z.string().max(2000).optional(),
    /** The probe's output (trimmed), so a helper can see what the learner's lab said. */
    output: z.string().max(8000).optional(),
  }),
  z.strictObject({ type: z.literal('chapter-completed'), ...base }),
  /** The learner asks the instructor for help on the chapter, or withdraws the request (`asking: false`). */
  z.strictObject({
    type: z.literal('help'),
    ...base,
    asking: z.boolean(),
    note: z.string().max(HELP_NOTE_MAX_CHARS).optional(),
  }),
  z.strictObject({
    type: z.literal('lab-status'),
    ...base,
    state: z.string().max(40),
    reason: z.string().max(2000).optional(),
  }),
])
export type LearnerEvent = z.infer<typeof learnerEventSchema>
