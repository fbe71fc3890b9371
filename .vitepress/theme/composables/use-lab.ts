/**
 * The page's one connection to the lab runner (same origin, `/__lab/ws`), shared by every component and kept across
 * client-side navigation. Holds the learner's live state as reactive data; reconnects with backoff and re-attaches
 * terminals from the seq they have, so nothing is lost or written twice.
 */
import { reactive } from 'vue'
import {
  type ChapterCheckResult,
  type ClientMessage,
  decodeOutputFrame,
  LAB_TOKEN_PROTOCOL_PREFIX,
  LAB_WS_PATH,
  LAB_WS_PROTOCOL,
  type LabStatusView,
  NO_REQUEST_ID,
  type Notification,
  type ProgressView,
  type ServerMessage,
  type StepResult,
  type TopologySnapshot,
  type WorkshopView,
} from '../../../protocol/messages'
import { LAB_TOKEN_STORAGE_KEY } from '../../../protocol/token-link'

type Request = Extract<ClientMessage, { id: number }>
type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never
export type Reply = Extract<ServerMessage, { type: 'reply' }>

export interface TerminalSink {
  /** Seq of the next byte this terminal expects (what it already has). */
  seq(): number
  write(seq: number, data: Uint8Array): void
  reset(seq: number): void
  size(): { cols: number; rows: number }
  exited(code: number): void
}

export const lab = reactive({
  connected: false,
  /** The runner refused or is unreachable (shown with how to get in). */
  unreachable: false,
  status: null as LabStatusView | null,
  progress: null as ProgressView | null,
  steps: {} as Record<string, StepResult>,
  running: {} as Record<string, boolean>,
  checks: {} as Record<string, ChapterCheckResult>,
  checking: {} as Record<string, boolean>,
  notifications: [] as Notification[],
  /** Whether an instructor hears this learner, and their open help request. */
  workshop: { joined: false, help: null } as WorkshopView,
  /** The lab's topology while a page shows the diagram (the runner reads it only then). */
  topology: null as TopologySnapshot | null,
  /** Last refused request, shown near what caused it. */
  errors: {} as Record<string, string>,
})

let socket: WebSocket | null = null
let nextId = 1
let retryMs = 500
let failures = 0
let watchingVisibility = false
const pending = new Map<number, (reply: Reply) => void>()
const sinks = new Map<string, TerminalSink>()
let topologyWatchers = 0

/** Attaches a terminal from the seq this tab has (the runner replays what it missed); a hidden tab does not. */
function attach(terminal: string, sink: TerminalSink): void {
  if (!document.hidden) send({ type: 'attach', terminal, fromSeq: sink.seq(), ...sink.size() })
}

function attachAll(): void {
  for (const [terminal, sink] of sinks) attach(terminal, sink)
}

/**
 * A hidden tab lets go of its terminals and takes them back when shown. The runner pauses a terminal's output while
 * any attached tab is behind on acknowledgements, and xterm in a background tab writes (so acknowledges) only as
 * fast as the browser's throttled timers allow: a second tab left in the background would stall the terminal in the
 * one the learner is using.
 */
function followVisibility(): void {
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      attachAll()
      return askForTopology()
    }
    for (const terminal of sinks.keys()) send({ type: 'detach', terminal })
    // Nobody looks at a hidden tab's diagram: the runner need not read the lab for it.
    if (topologyWatchers > 0) send({ type: 'topology-unsubscribe' })
  })
}

function askForTopology(): void {
  if (topologyWatchers > 0 && !document.hidden) send({ type: 'topology-subscribe' })
}

/** A topology diagram is shown: `lab.topology` follows the lab until every diagram calls the result. */
export function watchTopology(): () => void {
  if (topologyWatchers++ === 0) askForTopology()
  return () => {
    if (--topologyWatchers === 0) send({ type: 'topology-unsubscribe' })
  }
}

export function connectLab(): void {
  if (typeof window === 'undefined' || socket) return
  if (!watchingVisibility) {
    watchingVisibility = true
    followVisibility()
  }
  // The head script (protocol/token-link.ts) moved the link's token here before the app started.
  const token = localStorage.getItem(LAB_TOKEN_STORAGE_KEY)
  const protocols = token ? [LAB_WS_PROTOCOL, LAB_TOKEN_PROTOCOL_PREFIX + token] : [LAB_WS_PROTOCOL]
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${LAB_WS_PATH}`
  const ws = new WebSocket(url, protocols)
  ws.binaryType = 'arraybuffer'
  socket = ws
  ws.onopen = () => {
    lab.connected = true
    lab.unreachable = false
    retryMs = 500
    failures = 0
    attachAll()
    askForTopology()
  }
  ws.onmessage = (event) =>
    typeof event.data === 'string'
      ? onMessage(JSON.parse(event.data) as ServerMessage)
      : onFrame(new Uint8Array(event.data as ArrayBuffer))
  ws.onclose = () => {
    socket = null
    lab.connected = false
    failures++
    if (failures >= 2) lab.unreachable = true
    for (const [id, resolve] of pending)
      resolve({ type: 'reply', id, ok: false, code: 'LAB_NOT_READY', message: 'the connection to the runner closed' })
    pending.clear()
    setTimeout(connectLab, retryMs)
    retryMs = Math.min(retryMs * 2, 5000)
  }
}

/** Refusals of messages that get no reply of their own (typed input): `LAB_INPUT_FULL` names its terminal. */
const refusalListeners = new Set<(code: string, terminal: string | undefined) => void>()

export function onRefusal(listener: (code: string, terminal: string | undefined) => void): () => void {
  refusalListeners.add(listener)
  return () => refusalListeners.delete(listener)
}

export function send(message: ClientMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message))
}

export function request(body: RequestBody): Promise<Reply> {
  const id = nextId++
  return new Promise((resolve) => {
    if (socket?.readyState !== WebSocket.OPEN)
      return resolve({
        type: 'reply',
        id,
        ok: false,
        code: 'LAB_NOT_READY',
        message: 'not connected to the lab runner',
      })
    pending.set(id, resolve)
    socket.send(JSON.stringify({ ...body, id }))
  })
}

export function attachTerminal(terminal: string, sink: TerminalSink): () => void {
  sinks.set(terminal, sink)
  attach(terminal, sink)
  return () => sinks.delete(terminal)
}

export const stepKey = (chapterId: string, stepId: string) => `${chapterId}/${stepId}`

/** A chapter's verdict: the reply to this tab's own check, or a `check-result` event when another tab checked. */
export function showCheckResult(result: ChapterCheckResult): void {
  lab.checking[result.chapterId] = false
  lab.checks[result.chapterId] = result
}

function onFrame(frame: Uint8Array): void {
  const decoded = decodeOutputFrame(frame)
  if (decoded) sinks.get(decoded.terminal)?.write(decoded.seq, decoded.data)
}

function onMessage(message: ServerMessage): void {
  switch (message.type) {
    case 'reply':
      // Input carries no id: its only reply is a refusal, told to the terminals.
      if (message.id === NO_REQUEST_ID && !message.ok)
        for (const listener of refusalListeners) listener(message.code, message.terminal)
      pending.get(message.id)?.(message)
      pending.delete(message.id)
      return
    case 'hello':
      lab.status = message.lab
      lab.progress = message.progress
      lab.steps = Object.fromEntries(message.steps.map((s) => [stepKey(s.chapterId, s.stepId), s]))
      lab.checks = Object.fromEntries(message.checks.map((c) => [c.chapterId, c]))
      lab.notifications = [...message.notifications]
      lab.workshop = message.workshop
      return
    case 'lab-status': {
      const becameReady = message.lab.state === 'ready' && lab.status?.state !== 'ready'
      lab.status = message.lab
      // Terminals refused while the lab was starting open now.
      if (becameReady) attachAll()
      return
    }
    case 'progress':
      lab.progress = message.progress
      return
    case 'step-running':
      lab.running[stepKey(message.chapterId, message.stepId)] = true
      return
    case 'step-result':
      lab.running[stepKey(message.result.chapterId, message.result.stepId)] = false
      lab.steps[stepKey(message.result.chapterId, message.result.stepId)] = message.result
      return
    case 'checks-running':
      lab.checking[message.chapterId] = true
      return
    case 'check-result':
      return showCheckResult(message.result)
    case 'workshop':
      lab.workshop = message.workshop
      return
    case 'notification':
      lab.notifications.push(message.notification)
      return
    case 'terminal-reset':
      sinks.get(message.terminal)?.reset(message.seq)
      return
    case 'terminal-exit':
      sinks.get(message.terminal)?.exited(message.exitCode)
      return
    case 'topology':
      lab.topology = message.topology
      return
  }
}
