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
  | 'LAB_INPUT_FULL'
  | 'LAB_NO_WORKSHOP'
  | 'LAB_INTERNAL'

/** The id of a refusal of a message that carries none (typed input, a message that is not JSON). */
export const NO_REQUEST_ID = -1

export type ReplyMessage =
  | { type: 'reply'; id: number; ok: true; result?: unknown }
  | {
      type: 'reply'
      id: number
      ok: false
      code: LabErrorCode
      message: string
      /** The terminal a refused terminal message was for (`LAB_INPUT_FULL`). */
      terminal?: string
    }

/** Where a lab is in its life, for the runner and the page alike. */
export type LabState = 'not-started' | 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped'

export interface LabStatusView {
  kind: string
  state: LabState
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

/** A learner's note with a help request, as long as the dashboard shows. */
export const HELP_NOTE_MAX_CHARS = 500

/** The learner's link to a workshop: whether an instructor is connected, and the learner's open help request. */
export interface WorkshopView {
  /** A workshop hub is connected: only then can the learner ask for help. */
  joined: boolean
  help: { chapterId: string; note?: string; at: number } | null
}

/** A BGP session's state as FRR names it, or `unknown` when no router that holds it answered its probe. */
export type TopologySessionState =
  | 'Idle'
  | 'Connect'
  | 'Active'
  | 'OpenSent'
  | 'OpenConfirm'
  | 'Established'
  | 'unknown'

export interface TopologyRouter {
  /** The router's name in the fabric (`spine0`, `leaf1`). */
  name: string
  role: 'spine' | 'leaf'
  /** Its AS, from its own answer or its peers' (null if nobody said). */
  asn: number | null
  /** It answered its probe this time; when not, what it holds is `unknown`. */
  reachable: boolean
}

export interface TopologyNode {
  name: string
  /** The node's `rack` label. */
  rack: string | null
  address: string | null
  podCidr: string | null
}

/** One BGP session, named from the side nearer the spines: `router` is a spine (to a leaf) or a leaf (to a node). */
export interface TopologySession {
  router: string
  /** A router or node name, or the peer's address when nothing names it. */
  peer: string
  state: TopologySessionState
}

/** A route a chapter is about, as one router has installed it: a node's pod CIDR or a service's /32. */
export interface TopologyRoute {
  router: string
  prefix: string
  kind: 'pod-cidr' | 'service'
  /** The node whose pods, or the service (`namespace/name`) whose address, the prefix is; null if not known. */
  of: string | null
  /** Two or more next hops: ECMP. `name` is the router or node holding the address, when known. */
  nextHops: { address: string; name: string | null }[]
}

/** The live lab as the topology diagram draws it, read with the same probes the course's checks run. */
export interface TopologySnapshot {
  routers: TopologyRouter[]
  /** Null when the cluster could not be asked (no cluster yet, or kubectl failed). */
  nodes: TopologyNode[] | null
  sessions: TopologySession[]
  routes: TopologyRoute[]
  /** When it was read (ms since the epoch); snapshots are sent only when something else changed. */
  at: number
}

export type ServerEvent =
  | {
      type: 'hello'
      lab: LabStatusView
      progress: ProgressView
      steps: StepResult[]
      checks: ChapterCheckResult[]
      notifications: Notification[]
      workshop: WorkshopView
    }
  | { type: 'workshop'; workshop: WorkshopView }
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
  /** The lab's topology, to the tabs that subscribed to it (a page showing the diagram), when it changed. */
  | { type: 'topology'; topology: TopologySnapshot }

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
