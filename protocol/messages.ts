/**
 * The browser <-> runner contract on the `/__lab/ws` socket.
 *
 * Text frames carry JSON: the browser sends ClientMessages (validated by the runner with the schema in
 * client-messages.ts, kept apart so the browser bundle carries no zod), the runner answers requests with {@link ReplyMessage} (same `id`) and pushes
 * {@link ServerEvent}s. Terminal output travels in binary frames (see {@link encodeOutputFrame}) so a burst of pty
 * output is never re-encoded as JSON. Imports neither DOM nor Node: both sides depend on this file.
 */
/** The socket path, on the same origin as the site. */
export const LAB_WS_PATH = '/__lab/ws'
/** Subprotocol the runner speaks; a second `lab-token.<token>` subprotocol may carry the token (dev server). */
export const LAB_WS_PROTOCOL = 'lab.v1'
export const LAB_TOKEN_PROTOCOL_PREFIX = 'lab-token.'

export type { ClientMessage, ClientRequest } from './client-messages.ts'

/** Stable codes of refused requests (documented in docs/reference/error-codes.md). */
export type LabErrorCode =
  | 'LAB_BAD_MESSAGE'
  | 'LAB_UNKNOWN_CHAPTER'
  | 'LAB_UNKNOWN_STEP'
  | 'LAB_CHAPTER_LOCKED'
  | 'LAB_UNKNOWN_TERMINAL'
  | 'LAB_NOT_READY'
  | 'LAB_BUSY'
  | 'LAB_INTERNAL'

export type ReplyMessage =
  | { type: 'reply'; id: number; ok: true; result?: unknown }
  | { type: 'reply'; id: number; ok: false; code: LabErrorCode; message: string }

export interface LabStatusView {
  kind: string
  state: 'not-started' | 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped'
  reason?: string
  /** Latest progress line while starting. */
  progress?: string
}

/** Why a chapter is locked: the chapters whose checks are missing, or the instructor's pace. */
export type LockReason = { kind: 'requires'; missing: string[] } | { kind: 'instructor'; upToOrder: number }

export interface ChapterProgress {
  stepsDone: string[]
  checksPassed: string[]
  /** Every check passed at least once since the chapter's checks were last run together. */
  completed: boolean
  locked: LockReason | null
  /** The instructor revealed the solution. */
  solutionRevealed: boolean
}

export interface ProgressView {
  currentChapter: string | null
  chapters: Record<string, ChapterProgress>
}

/** One matcher's verdict, with what was expected and what was seen. */
export interface MatchOutcome {
  ok: boolean
  expected: string
  actual: string
}

export interface StepResult {
  chapterId: string
  stepId: string
  ok: boolean
  exitCode: number | null
  expectedExitCode: number
  /** ANSI-stripped output of the step's command(s), trimmed to the last few KB. */
  output: string
  outcomes: MatchOutcome[]
  /** A timed-out Run or the command failing: one line for the learner. */
  reason?: string
  at: number
}

export interface CheckResult {
  checkId: string
  ok: boolean
  /** The check's `fail` text in the learner's locale (empty when it passed). */
  reason: string
  expected: string
  actual: string
  output: string
  timedOut: boolean
  attempts: number
}

export interface ChapterCheckResult {
  chapterId: string
  ok: boolean
  checks: CheckResult[]
  at: number
}

export interface Notification {
  id: number
  kind: 'broadcast' | 'hint'
  text: string
  from?: string
  at: number
}

export type ServerEvent =
  | { type: 'hello'; lab: LabStatusView; progress: ProgressView; steps: StepResult[]; checks: ChapterCheckResult[]; notifications: Notification[] }
  | { type: 'lab-status'; lab: LabStatusView }
  | { type: 'progress'; progress: ProgressView }
  | { type: 'step-running'; chapterId: string; stepId: string }
  | { type: 'step-result'; result: StepResult }
  | { type: 'checks-running'; chapterId: string }
  | { type: 'check-result'; result: ChapterCheckResult }
  | { type: 'notification'; notification: Notification }
  /** The replay could not start at the requested seq (buffer wrapped): the client clears before writing. */
  | { type: 'terminal-reset'; terminal: string; seq: number }
  | { type: 'terminal-exit'; terminal: string; exitCode: number }

export type ServerMessage = ReplyMessage | ServerEvent

/** Binary frame kinds (first byte). */
export const FRAME_OUTPUT = 1

/**
 * An output frame: kind (u8), terminal id length (u8), id (UTF-8), seq of the first byte (f64, big-endian), data.
 * `seq` counts bytes of pty output since the terminal started, so a client reconnects with the seq it has.
 */
export function encodeOutputFrame(terminal: string, seq: number, data: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(terminal)
  const frame = new Uint8Array(2 + name.length + 8 + data.length)
  const view = new DataView(frame.buffer)
  frame[0] = FRAME_OUTPUT
  frame[1] = name.length
  frame.set(name, 2)
  view.setFloat64(2 + name.length, seq)
  frame.set(data, 10 + name.length)
  return frame
}

export function decodeOutputFrame(frame: Uint8Array): { terminal: string; seq: number; data: Uint8Array } | null {
  if (frame.length < 10 || frame[0] !== FRAME_OUTPUT) return null
  const nameLength = frame[1]
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const terminal = new TextDecoder().decode(frame.subarray(2, 2 + nameLength))
  const seq = view.getFloat64(2 + nameLength)
  return { terminal, seq, data: frame.subarray(10 + nameLength) }
}

/**
 * How a client acknowledges output (flow control): bytes written by xterm are acknowledged once at least this many
 * have added up, and whatever is left {@link ACK_IDLE_MS} after the last write. The runner resumes a paused pty below
 * its low-water mark, which must stay above this batch so a client holding back a partial batch cannot stall it.
 * One ack per 256 KiB instead of one per frame (64 KiB) means fewer sends and wakeups on both ends. Measured in the
 * terminal bench against per-frame acks, three runs of paired rounds: 17 of 24 rounds faster; runner / raw median
 * 0.63x -> 0.78x and 0.67x -> 0.76x in two runs, no difference in the first (6 rounds).
 */
export const ACK_EVERY_BYTES = 256 * 1024
export const ACK_IDLE_MS = 10

/** Adds up written bytes and sends them as acks per {@link ACK_EVERY_BYTES}, the rest after {@link ACK_IDLE_MS}. */
export class AckBatcher {
  private pending = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly sendAck: (bytes: number) => void) {}

  written(bytes: number): void {
    this.pending += bytes
    if (this.pending >= ACK_EVERY_BYTES) this.flush()
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), ACK_IDLE_MS)
  }

  /** Sends what is pending now (also called by the idle timer). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const bytes = this.pending
    this.pending = 0
    if (bytes > 0) this.sendAck(bytes)
  }
}
