/**
 * The workshop hub's wire contract: what a learner's runner, the instructor's dashboard and a learner following the
 * presenter may send to the hub, and what the hub sends back. Plain zod schemas, no DOM or Node types, so the hub,
 * the join client and the dashboard page parse the very same shapes.
 *
 * Every message is one JSON text frame no larger than {@link HUB_MAX_MESSAGE_BYTES}; a frame that is too large, not
 * JSON, or not one of the messages its socket's role may send closes that socket (and only that one).
 */
import { z } from 'zod'
import { learnerEventSchema } from './learner-event.ts'
import { HELP_NOTE_MAX_CHARS } from './messages.ts'

/** Hard cap on one frame, enforced by the socket layer before any parsing. */
export const HUB_MAX_MESSAGE_BYTES = 64 * 1024
/** Largest terminal chunk a runner may mirror in one message (the join client splits longer output). */
export const HUB_MAX_CHUNK_CHARS = 16 * 1024
/** Largest broadcast or hint, in characters. */
export const HUB_MAX_TEXT_CHARS = 2000

/** Socket paths on the hub, one per role, so a socket's role is fixed before its first message. */
export const hubPaths = {
  runner: '/__hub/runner',
  dashboard: '/__hub/dashboard',
  follow: '/__hub/follow',
  join: '/__hub/join',
} as const

const id = z.string().min(1).max(100)
const learnerName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[^\u0000-\u001f<>]+$/, 'a name has no control characters or angle brackets')
  .describe('Display name the learner chose')
const secret = z.string().min(1).max(200)
const terminalId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/)
  .max(60)
const chapterOrder = z.number().int().nonnegative().max(10_000)
const text = z.string().trim().min(1).max(HUB_MAX_TEXT_CHARS)
/** Correlates a dashboard action with the hub's `result`. */
const requestId = z.number().int().nonnegative().optional()

// ---- runner -> hub ----------------------------------------------------------------------------------------------

export const runnerToHubSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    code: secret.describe('The workshop code from the join link'),
    name: learnerName,
  }),
  z.strictObject({
    type: z.literal('resume'),
    token: secret.describe('The per-learner token the hub issued at join; reconnects keep the same row'),
  }),
  z.strictObject({ type: z.literal('event'), event: learnerEventSchema }),
  z.strictObject({
    type: z.literal('progress'),
    completed: z
      .array(z.string().min(1).max(100))
      .max(200)
      .describe(
        "Chapters the runner's own progress store has completed, sent after every welcome (earlier sessions count)",
      ),
  }),
  z.strictObject({
    type: z.literal('mirror-chunk'),
    terminalId,
    data: z.string().max(HUB_MAX_CHUNK_CHARS),
  }),
])
export type RunnerToHub = z.infer<typeof runnerToHubSchema>

// ---- hub -> runner ----------------------------------------------------------------------------------------------

export const paceSchema = z
  .strictObject({ upToOrder: chapterOrder.describe('Highest chapter order the learner may open') })
  .nullable()
  .describe('null lifts the instructor gate')
export type Pace = z.infer<typeof paceSchema>

export const noticeSchema = z.strictObject({
  kind: z.enum(['broadcast', 'hint']),
  text,
  from: z.string().max(60).optional(),
})
export type Notice = z.infer<typeof noticeSchema>

export const hubToRunnerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('welcome'), learnerId: id, token: secret }),
  z.strictObject({ type: z.literal('pace'), pace: paceSchema }),
  z.strictObject({ type: z.literal('notify'), notice: noticeSchema }),
  z.strictObject({ type: z.literal('reveal'), chapterId: id }),
  z.strictObject({ type: z.literal('mirror-start'), terminalId }),
  z.strictObject({ type: z.literal('mirror-stop'), terminalId }),
  /** The instructor removed this learner: the runner must stop reconnecting. */
  z.strictObject({ type: z.literal('removed') }),
  /**
   * The hub did not take one progress event: it names a chapter, step or check the course does not have, or claims a
   * completion this learner's reported results do not support. The link stays up; the row does not change.
   */
  z.strictObject({ type: z.literal('refused'), code: z.string().max(60), message: z.string().max(1000) }),
])
export type HubToRunner = z.infer<typeof hubToRunnerSchema>

// ---- dashboard -> hub -------------------------------------------------------------------------------------------

/** Target of a control: one learner, or the whole class when absent. */
const learnerTarget = id.optional().describe('One learner; absent means everyone')

export const dashboardToHubSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), secret }),
  z.strictObject({ type: z.literal('pace'), id: requestId, learnerId: learnerTarget, pace: paceSchema }),
  z.strictObject({ type: z.literal('broadcast'), id: requestId, text }),
  z.strictObject({ type: z.literal('hint'), id: requestId, learnerId: id, text }),
  z.strictObject({ type: z.literal('reveal'), id: requestId, learnerId: learnerTarget, chapterId: id }),
  z.strictObject({ type: z.literal('watch'), id: requestId, learnerId: id, terminalId }),
  z.strictObject({ type: z.literal('unwatch'), id: requestId, learnerId: id, terminalId }),
  z.strictObject({ type: z.literal('reset'), id: requestId, learnerId: id, chapterOrder }),
  z.strictObject({ type: z.literal('remove'), id: requestId, learnerId: id }),
  z.strictObject({ type: z.literal('presenter-input'), data: z.string().max(HUB_MAX_CHUNK_CHARS) }),
  z.strictObject({
    type: z.literal('presenter-resize'),
    cols: z.number().int().min(10).max(500),
    rows: z.number().int().min(5).max(200),
  }),
])
export type DashboardToHub = z.infer<typeof dashboardToHubSchema>
export type DashboardAction = Exclude<DashboardToHub, { type: 'auth' }>

// ---- hub -> dashboard -------------------------------------------------------------------------------------------

export const learnerFailureSchema = z.strictObject({
  checkId: id,
  reason: z.string().max(2000).optional(),
  output: z.string().max(8000).optional(),
  at: z.number(),
})

/** One row of the dashboard. Times are the hub's clock, so rows from learners with skewed clocks compare. */
export const learnerViewSchema = z.strictObject({
  id,
  name: learnerName,
  mode: z.enum(['local', 'hosted']),
  connected: z.boolean(),
  chapterId: id.nullable(),
  /** The last step the learner finished, and whether it passed. */
  stepId: id.nullable(),
  stepOk: z.boolean().nullable(),
  checksPassed: z.number().int().nonnegative(),
  checksFailed: z.number().int().nonnegative(),
  completedChapters: z.array(id),
  /** When the learner last made progress; the dashboard shows "time on current step" from it. */
  progressAt: z.number(),
  stuck: z.enum(['idle', 'failing']).nullable(),
  lastFailure: learnerFailureSchema.nullable(),
  /** The learner pressed "I'm stuck" (hub clock), until they withdraw it or finish the chapter. */
  help: z
    .strictObject({ chapterId: id, note: z.string().max(HELP_NOTE_MAX_CHARS).optional(), at: z.number() })
    .nullable(),
  pace: paceSchema,
  labState: z.string().max(40).nullable(),
})
export type LearnerView = z.infer<typeof learnerViewSchema>

export const chapterInfoSchema = z.strictObject({
  id,
  order: chapterOrder,
  title: z.string().max(200).describe('English title'),
  titleZh: z.string().max(200).describe('Chinese title, for the Chinese dashboard page').optional(),
})
export type ChapterInfo = z.infer<typeof chapterInfoSchema>

/** How many learners are in each chapter and how many completed it. */
export const overviewSchema = z.array(
  z.strictObject({ chapterId: id, current: z.number().int(), completed: z.number().int(), stuck: z.number().int() }),
)
export type Overview = z.infer<typeof overviewSchema>

export const hubToDashboardSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('snapshot'),
    /** Hub clock, so the page can correct "time on step" for its own clock offset. */
    now: z.number(),
    chapters: z.array(chapterInfoSchema),
    learners: z.array(learnerViewSchema),
    overview: overviewSchema,
    classPace: paceSchema,
    hosted: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('delta'),
    now: z.number(),
    learners: z.array(learnerViewSchema),
    removed: z.array(id),
    overview: overviewSchema,
    classPace: paceSchema,
  }),
  z.strictObject({ type: z.literal('terminal'), learnerId: id, terminalId, data: z.string() }),
  z.strictObject({ type: z.literal('presenter'), data: z.string() }),
  z.strictObject({
    type: z.literal('result'),
    id: z.number().int(),
    ok: z.boolean(),
    code: z.string().optional(),
    message: z.string().optional(),
  }),
])
export type HubToDashboard = z.infer<typeof hubToDashboardSchema>

// ---- follower (a learner watching the presenter) ----------------------------------------------------------------

/** A follower only authenticates; it can send nothing else, which is what makes the presenter view read-only. */
export const followerToHubSchema = z.strictObject({ type: z.literal('auth'), secret })
export const hubToFollowerSchema = z.strictObject({ type: z.literal('presenter'), data: z.string() })
export type HubToFollower = z.infer<typeof hubToFollowerSchema>

// ---- hosted join (HTTP POST body and answer) --------------------------------------------------------------------

export const hostedJoinRequestSchema = z.strictObject({ code: secret, name: learnerName })
export const hostedJoinResponseSchema = z.strictObject({ learnerId: id, token: secret, labUrl: z.string().max(2000) })
export type HostedJoinResponse = z.infer<typeof hostedJoinResponseSchema>

/** WebSocket close codes the hub uses (4000-4999 are free for applications). */
export const hubCloseCodes = {
  /** Bad credentials: wrong secret, code or token. */
  unauthorized: 4401,
  /** A message this role may not send, or not valid against its schema. */
  badMessage: 4400,
  /** The instructor removed the learner. */
  removed: 4410,
  /** No `auth`/`hello` within the deadline. */
  authTimeout: 4408,
  /** The workshop, or the address the runner joins from, already has as many learners as the hub takes. */
  full: 4429,
} as const
