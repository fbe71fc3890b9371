/**
 * A Node client of the lab socket for integration tests and benchmarks: speaks protocol/messages.ts like the
 * browser does (cookie or subprotocol token, Origin), collects events and terminal output, acks like xterm.
 */
import WebSocket from 'ws'
import {
  type ClientMessage,
  decodeOutputFrame,
  LAB_TOKEN_PROTOCOL_PREFIX,
  LAB_WS_PATH,
  LAB_WS_PROTOCOL,
  type ServerEvent,
  type ServerMessage,
} from '../../protocol/messages.ts'

type Request = Extract<ClientMessage, { id: number }>
const MB = 1024 * 1024

type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

export class NodeLabClient {
  readonly events: ServerEvent[] = []
  /** Per terminal: seq after the last byte, the text (its last few MB), and how many bytes arrived in all. */
  readonly output = new Map<string, { seq: number; text: string; bytes: number }>()
  private nextId = 1
  private readonly replies = new Map<number, (message: ServerMessage) => void>()
  private readonly waiters = new Set<() => void>()
  /** Acknowledge output like xterm's write callback (set false to simulate a stalled browser). */
  autoAck = true

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const frame = decodeOutputFrame(new Uint8Array(data as Buffer))
        if (!frame) return
        const current = this.output.get(frame.terminal) ?? { seq: frame.seq, text: '', bytes: 0 }
        current.text += Buffer.from(frame.data).toString('utf8')
        if (current.text.length > 8 * MB) current.text = current.text.slice(-4 * MB)
        current.seq = frame.seq + frame.data.length
        current.bytes += frame.data.length
        this.output.set(frame.terminal, current)
        if (this.autoAck) this.send({ type: 'ack', terminal: frame.terminal, bytes: frame.data.length })
      } else {
        const message = JSON.parse(data.toString()) as ServerMessage
        if (message.type === 'reply') this.replies.get(message.id)?.(message)
        else this.events.push(message)
      }
      for (const wake of this.waiters) wake()
    })
  }

  static connect(baseUrl: string, token: string, origin = new URL(baseUrl).origin): Promise<NodeLabClient> {
    const url = new URL(LAB_WS_PATH, baseUrl).href.replace(/^http/, 'ws')
    const socket = new WebSocket(url, [LAB_WS_PROTOCOL, `${LAB_TOKEN_PROTOCOL_PREFIX}${token}`], {
      origin,
      perMessageDeflate: false,
    })
    const client = new NodeLabClient(socket)
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client))
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)))
      socket.once('error', reject)
    })
  }

  send(message: ClientMessage): void {
    this.socket.send(JSON.stringify(message))
  }

  request(body: RequestBody): Promise<ServerMessage> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.replies.set(id, resolve)
      this.send({ ...body, id } as ClientMessage)
    })
  }

  text(terminal = 'main'): string {
    return this.output.get(terminal)?.text ?? ''
  }

  /** The end of a terminal's output (cheap to test on every message, unlike the whole text). */
  tail(terminal = 'main', chars = 256): string {
    const text = this.text(terminal)
    return text.length > chars ? text.substring(text.length - chars) : text
  }

  bytes(terminal = 'main'): number {
    return this.output.get(terminal)?.bytes ?? 0
  }

  /** Resolves when `test` holds, checked on every message; rejects after `timeoutMs`. */
  waitFor<T>(test: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = test()
        if (value) {
          this.waiters.delete(check)
          clearTimeout(timer)
          resolve(value)
        }
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`timed out waiting; last output: ${JSON.stringify(this.tail())}`))
      }, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }

  close(): void {
    this.socket.close()
  }
}
