/**
 * One browser tab on the socket: validates what it sends, answers requests, forwards the learner's events, and
 * streams attached terminals with batching and flow control (the pty pauses while this tab has more than
 * `HIGH_WATER` bytes that xterm has not yet acknowledged from its write callback). The session learns the seq each tab
 * has acknowledged, so the replay still holds it when the tab comes back (see PtySession.read and leave).
 */
import type { WebSocket } from 'ws'
import { ACK_EVERY_BYTES } from '../../protocol/ack-batcher.ts'
import { clientMessageSchema } from '../../protocol/client-messages.ts'
import type { Locale } from '../../protocol/course.ts'
import { type ClientRequest, encodeOutputFrame, NO_REQUEST_ID, type ServerMessage } from '../../protocol/messages.ts'
import type { Learner } from '../learner.ts'
import { LabRequestError } from '../request-error.ts'
import type { PtySession } from '../terminal/pty-session.ts'
import { OutputBatcher } from './output-batcher.ts'
import type { Tab } from './tabs.ts'

const HIGH_WATER = 2 * 1024 * 1024
/** Above one ack batch of the client, so a paused pty resumes on batched acks, not only after the client's idle timer. */
const LOW_WATER = 2 * ACK_EVERY_BYTES
/** Replay is sent in frames of this size so a big scrollback does not block the socket in one piece. */
const REPLAY_FRAME = 256 * 1024
const EMPTY = new Uint8Array(0)
/**
 * What a tab may leave unread on its socket: flow control holds live output to HIGH_WATER per terminal, and a replay is
 * at most a terminal's scrollback, so only a page that reads nothing while it keeps asking (each attach sends the whole
 * replay again) gets past it. It is dropped then, as the hub drops a slow peer (instructor/hub/frames.ts), and the page
 * reconnects; before, 64 bytes of attach queued 256 KiB in the runner, without limit.
 */
const MAX_UNREAD = 8 * 1024 * 1024

interface Attached {
  session: PtySession
  batcher: OutputBatcher
  /** Seq one past the last byte given to this tab (sent, or skipped because its socket is closing). */
  handed: number
  /** Seq up to which its xterm has acknowledged the output. */
  acked: number
  detach: () => void
}

export class ClientConnection {
  private readonly attached = new Map<string, Attached>()
  /** This tab as the learner's events reach it. */
  private readonly tab: Tab = (event) => this.send(event)
  /** The language of this tab's pages (from its last open-chapter): its requests are answered in it. */
  private locale: Locale = 'en'
  private readonly unsubscribe: () => void
  /** Set while this tab shows the topology diagram. */
  private unwatchTopology: (() => void) | undefined

  constructor(
    private readonly socket: WebSocket,
    private readonly learner: Learner,
  ) {
    this.unsubscribe = learner.subscribe(this.tab)
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.receive(data.toString())
    })
    // A bad frame (invalid UTF-8, unmasked, a reserved opcode or RSV bit) or a message over maxPayload: ws has
    // already answered with the close code (1002, 1007, 1009) and closes this socket alone. Without a listener the
    // error would be thrown and take the runner, and every learner's terminal, down with it.
    socket.on('error', () => undefined)
    socket.on('close', () => this.dispose())
  }

  private send(message: ServerMessage): void {
    this.deliver(JSON.stringify(message), false)
  }

  /** Sends unless the socket is closing; drops a tab that has left more than MAX_UNREAD unread. */
  private deliver(data: string | Buffer, binary: boolean): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > MAX_UNREAD) return void this.socket.terminate()
    this.socket.send(data, { binary })
  }

  private receive(text: string): void {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return this.refuse(undefined, new LabRequestError('LAB_BAD_MESSAGE', 'not JSON'))
    }
    const parsed = clientMessageSchema.safeParse(json)
    if (!parsed.success) {
      const id = (json as { id?: unknown })?.id
      return this.refuse(
        typeof id === 'number' ? id : undefined,
        new LabRequestError('LAB_BAD_MESSAGE', parsed.error.issues[0]?.message ?? 'invalid message'),
      )
    }
    const message = parsed.data
    try {
      switch (message.type) {
        case 'attach':
          return this.attach(message.terminal, message.fromSeq, message.cols, message.rows)
        case 'detach':
          return this.attached.get(message.terminal)?.detach()
        case 'input':
          return this.learner.input(message.terminal, message.data, this.locale)
        case 'resize':
          return this.attached.get(message.terminal)?.session.resize(message.cols, message.rows)
        case 'ack':
          return this.ack(message.terminal, message.bytes)
        case 'topology-subscribe':
          this.unwatchTopology ??= this.learner.watchTopology(this.tab)
          return
        case 'topology-unsubscribe':
          return this.stopTopology()
        default:
          return void this.request(message)
      }
    } catch (error) {
      this.refuse('id' in message ? message.id : undefined, error, 'terminal' in message ? message.terminal : undefined)
    }
  }

  private async request(message: ClientRequest): Promise<void> {
    try {
      let result: unknown
      if (message.type === 'open-chapter') {
        this.locale = message.locale
        this.learner.openChapter(message.chapterId)
      } else if (message.type === 'run-step') this.learner.runStep(message.chapterId, message.stepId, this.locale)
      else if (message.type === 'solve') this.learner.solve(message.chapterId, this.locale)
      else if (message.type === 'ask-help') this.learner.askHelp(message.chapterId, message.asking, message.note)
      // The verdict reaches this tab in the reply alone; the learner's other tabs get it as an event.
      else result = await this.learner.check(message.chapterId, this.locale, this.tab)
      this.send({ type: 'reply', id: message.id, ok: true, result })
    } catch (error) {
      this.refuse(message.id, error)
    }
  }

  /** Refuses one request; an unexpected error is logged and reported, and the runner keeps serving. */
  private refuse(id: number | undefined, error: unknown, terminal?: string): void {
    const known =
      error instanceof LabRequestError
        ? error
        : new LabRequestError('LAB_INTERNAL', (error as Error)?.message ?? String(error))
    if (known !== error) console.error('lab runner: request failed:', error)
    this.send({
      type: 'reply',
      id: id ?? NO_REQUEST_ID,
      ok: false,
      code: known.code,
      message: known.message,
      ...(terminal === undefined ? {} : { terminal }),
    })
  }

  private attach(terminal: string, fromSeq: number, cols: number, rows: number): void {
    this.attached.get(terminal)?.detach()
    const session = this.learner.terminal(terminal, this.locale, { cols, rows })
    session.resize(cols, rows)
    const replay = session.replay(fromSeq)
    const entry: Attached = {
      session,
      handed: replay.seq,
      acked: replay.seq,
      batcher: new OutputBatcher((seq, data) => this.sendOutput(entry, seq, data)),
      detach: () => undefined,
    }
    if (replay.reset) this.send({ type: 'terminal-reset', terminal, seq: replay.seq })
    for (let offset = 0; offset < replay.data.length; offset += REPLAY_FRAME) {
      this.sendOutput(entry, replay.seq + offset, [replay.data.subarray(offset, offset + REPLAY_FRAME)])
    }
    // The tab has everything before the replay: from here on the session keeps what it has not acknowledged.
    session.read(this, replay.seq)
    const stop = session.onOutput((seq, data) => entry.batcher.push(seq, data))
    entry.detach = () => {
      stop()
      entry.batcher.dispose()
      session.leave(this)
      this.attached.delete(terminal)
    }
    this.attached.set(terminal, entry)
  }

  private sendOutput(entry: Attached, seq: number, chunks: Buffer[]): void {
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0)
    entry.handed = seq + length
    // A closing socket (ws waits up to 30 s for the peer) gets nothing more, and holds the pty like a tab that does
    // not acknowledge: its acked seq stays pinned in the replay buffer, which must not grow without bound meanwhile.
    // The header from the shared encoder, then header and chunks joined in one copy.
    this.deliver(Buffer.concat([encodeOutputFrame(entry.session.id, seq, EMPTY), ...chunks]), true)
    if (entry.handed - entry.acked > HIGH_WATER) entry.session.pause(this)
  }

  private ack(terminal: string, bytes: number): void {
    const entry = this.attached.get(terminal)
    if (!entry) return
    entry.acked = Math.min(entry.handed, entry.acked + bytes)
    entry.session.read(this, entry.acked)
    if (entry.handed - entry.acked < LOW_WATER) entry.session.resume(this)
  }

  private stopTopology(): void {
    this.unwatchTopology?.()
    this.unwatchTopology = undefined
  }

  private dispose(): void {
    for (const entry of [...this.attached.values()]) entry.detach()
    this.stopTopology()
    this.unsubscribe()
  }
}
