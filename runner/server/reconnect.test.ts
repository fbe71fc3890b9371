import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { AckBatcher } from '../../protocol/ack-batcher.ts'
import {
  type ClientMessage,
  decodeOutputFrame,
  LAB_TOKEN_PROTOCOL_PREFIX,
  LAB_WS_PATH,
  LAB_WS_PROTOCOL,
  type ServerMessage,
} from '../../protocol/messages.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'

let fixtureRunner: FixtureRunner
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(() => fixtureRunner?.stop())

const LINES = 3_000_000
const RECONNECTS = 50
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The page's side of one terminal across sockets: what it has (every byte, as xterm would), the seq it attaches
 * from, acks batched from the write callback as the page does (a closed socket takes its unsent acks with it), and
 * every terminal-reset and out-of-order frame it saw.
 */
class Page {
  readonly chunks: Buffer[] = []
  seq = 0
  resets = 0
  misplaced = 0
  private socket: WebSocket | null = null
  private readonly waiters = new Set<() => void>()

  async open(): Promise<void> {
    const { url, token } = fixtureRunner.runner
    const socket = new WebSocket(
      new URL(LAB_WS_PATH, url).href.replace(/^http/, 'ws'),
      [LAB_WS_PROTOCOL, `${LAB_TOKEN_PROTOCOL_PREFIX}${token}`],
      {
        origin: new URL(url).origin,
        perMessageDeflate: false,
      },
    )
    const acks = new AckBatcher(
      (bytes) => socket.readyState === socket.OPEN && this.send(socket, { type: 'ack', terminal: 'main', bytes }),
    )
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        if ((JSON.parse(data.toString()) as ServerMessage).type === 'terminal-reset') this.resets++
        return
      }
      const frame = decodeOutputFrame(new Uint8Array(data as Buffer))
      if (!frame) return
      if (frame.seq !== this.seq) this.misplaced++
      this.chunks.push(Buffer.from(frame.data))
      this.seq = frame.seq + frame.data.length
      acks.written(frame.data.length)
      for (const wake of this.waiters) wake()
    })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    this.socket = socket
    this.send(socket, { type: 'attach', terminal: 'main', fromSeq: this.seq, cols: 120, rows: 30 })
  }

  /** A reload or a dropped connection: the socket goes, cleanly or not. */
  close(): void {
    if (Math.random() < 0.5) this.socket?.close()
    else this.socket?.terminate()
    this.socket = null
  }

  input(data: string): void {
    if (this.socket) this.send(this.socket, { type: 'input', terminal: 'main', data })
  }

  tail(chars = 512): string {
    return this.chunks.length === 0 ? '' : Buffer.concat(this.chunks.slice(-2)).toString('latin1').slice(-chars)
  }

  waitFor(test: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!test()) return
        this.waiters.delete(check)
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`timed out; last output: ${JSON.stringify(this.tail())}`))
      }, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }

  private send(socket: WebSocket, message: ClientMessage): void {
    socket.send(JSON.stringify(message))
  }
}

it(`loses and doubles nothing of \`seq 1 ${LINES}\` across ${RECONNECTS} reconnects with random gaps of 0-1000 ms`, async () => {
  const page = new Page()
  await page.open()
  await page.waitFor(() => page.tail().includes('lab$ '), 10_000)
  page.input(`seq 1 ${LINES}; echo SEQ-$((40+2))\n`)
  for (let i = 0; i < RECONNECTS; i++) {
    // Attached for a moment (output streams in), then gone for up to a second (as the page's 500 ms retry and longer).
    await sleep(Math.random() * 200)
    page.close()
    await sleep(Math.random() * 1000)
    await page.open()
  }
  await page.waitFor(() => page.tail().includes('SEQ-42'), 120_000)
  page.close()

  // Every line of the output once and in order: markers, escapes and the prompt removed, the number lines are 1..N.
  const text = Buffer.concat(page.chunks)
    .toString('latin1')
    .replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]|\r/g, '')
  const numbers = text.split('\n').filter((line) => /^\d+$/.test(line))
  const firstWrong = numbers.findIndex((line, i) => line !== String(i + 1))
  const around = firstWrong < 0 ? [] : numbers.slice(Math.max(0, firstWrong - 2), firstWrong + 2)
  expect({ resets: page.resets, misplaced: page.misplaced, lines: numbers.length, firstWrong, around }).toEqual({
    resets: 0,
    misplaced: 0,
    lines: LINES,
    firstWrong: -1,
    around: [],
  })
}, 240_000)
