import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { LAB_TOKEN_PROTOCOL_PREFIX, LAB_WS_PATH, LAB_WS_PROTOCOL } from '../../protocol/messages.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

let fixtureRunner: FixtureRunner
/** Errors thrown out of the runner's handlers: in `npm run learn` each one ends the process and every terminal. */
const uncaught: Error[] = []
const onUncaught = (error: Error) => uncaught.push(error)
beforeAll(async () => {
  process.on('uncaughtException', onUncaught)
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(async () => {
  process.off('uncaughtException', onUncaught)
  await fixtureRunner?.stop()
})

const MASK = Buffer.from([1, 2, 3, 4])

/** One client frame by hand: FIN, the given opcode and RSV bits, masked unless told, with a 16- or 64-bit length. */
function frame(
  opcode: number,
  payload: Buffer,
  options: { rsv1?: boolean; masked?: boolean; claimedLength?: number } = {},
): Buffer {
  const masked = options.masked ?? true
  const length = options.claimedLength ?? payload.length
  const lengthBytes = length < 126 ? Buffer.alloc(0) : length < 65536 ? Buffer.alloc(2) : Buffer.alloc(8)
  if (lengthBytes.length === 2) lengthBytes.writeUInt16BE(length)
  if (lengthBytes.length === 8) lengthBytes.writeBigUInt64BE(BigInt(length))
  const head = Buffer.from([
    0x80 | (options.rsv1 ? 0x40 : 0) | opcode,
    (masked ? 0x80 : 0) | (length < 126 ? length : lengthBytes.length === 2 ? 126 : 127),
  ])
  const body = masked ? payload.map((byte, i) => byte ^ MASK[i % 4]) : payload
  return Buffer.concat([head, lengthBytes, masked ? MASK : Buffer.alloc(0), body])
}

/** A socket past a valid upgrade (the token as a subprotocol, as the page sends it), and the bytes that follow. */
async function upgraded(): Promise<{ socket: Socket; frames: () => Buffer; next: () => Promise<void> }> {
  const { port, token } = fixtureRunner.runner
  const socket = connect({ host: '127.0.0.1', port })
  let received = Buffer.alloc(0)
  let wake: () => void = () => undefined
  socket.on('data', (data) => {
    received = Buffer.concat([received, data])
    wake()
  })
  socket.on('close', () => wake())
  const next = () => new Promise<void>((resolve) => (wake = resolve))
  socket.write(
    [
      `GET ${LAB_WS_PATH} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      `Sec-WebSocket-Protocol: ${LAB_WS_PROTOCOL}, ${LAB_TOKEN_PROTOCOL_PREFIX}${token}`,
      '',
      '',
    ].join('\r\n'),
  )
  while (received.indexOf('\r\n\r\n') < 0) await next()
  const headEnd = received.indexOf('\r\n\r\n') + 4
  expect(received.subarray(0, headEnd).toString()).toMatch(/^HTTP\/1\.1 101 /)
  return { socket, frames: () => received.subarray(headEnd), next }
}

/** The status code of the close frame the runner answers `bad` with (the runner's frames are small and unmasked). */
async function closeCodeFor(bad: Buffer): Promise<number> {
  const { socket, frames, next } = await upgraded()
  try {
    socket.write(bad)
    for (;;) {
      const data = frames()
      // Server frames (unmasked) after the hello event: opcode, a 7-bit length or 126 and a 16-bit one, the payload.
      let at = 0
      while (at + 4 <= data.length) {
        const opcode = data[at] & 0x0f
        const short = data[at + 1] & 0x7f
        if (opcode === 0x8) return data.readUInt16BE(at + 2)
        at += short === 126 ? 4 + data.readUInt16BE(at + 2) : 2 + short
      }
      if (socket.destroyed) throw new Error('the socket closed without a close frame')
      await next()
    }
  } finally {
    socket.destroy()
  }
}

it('closes only the socket that sent a bad frame or an oversized message, with its close code, and keeps serving the others', async () => {
  const other = await NodeLabClient.connect(fixtureRunner.runner.url, fixtureRunner.runner.token)
  try {
    other.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await other.waitFor(() => other.text().includes('lab$'))

    const codes = {
      invalidUtf8: await closeCodeFor(frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))),
      unmasked: await closeCodeFor(frame(0x1, Buffer.from('{}'), { masked: false })),
      reservedOpcode: await closeCodeFor(frame(0x3, Buffer.from('{}'))),
      rsv1: await closeCodeFor(frame(0x1, Buffer.from('{}'), { rsv1: true })),
      // Only the header: the length alone is over the runner's 1 MiB maxPayload.
      oversized: await closeCodeFor(frame(0x2, Buffer.alloc(0), { claimedLength: 1024 * 1024 + 1 })),
    }
    expect(codes).toEqual({ invalidUtf8: 1007, unmasked: 1002, reservedOpcode: 1002, rsv1: 1002, oversized: 1009 })

    // A paste of about 1.1 MB typed into a terminal, as one input message from a real client.
    const paster = await NodeLabClient.connect(fixtureRunner.runner.url, fixtureRunner.runner.token)
    const closed = new Promise<number>((resolve) => paster.socket.once('close', (code) => resolve(code)))
    paster.socket.on('error', () => undefined)
    paster.send({ type: 'input', terminal: 'main', data: 'x'.repeat(1_100_000) })
    expect(await closed).toBe(1009)

    // The runner and the other tab's terminal are still there.
    other.send({ type: 'input', terminal: 'main', data: 'echo still-$((6*7))\n' })
    await other.waitFor(() => other.text().includes('still-42'))
    expect(other.socket.readyState).toBe(other.socket.OPEN)
    expect(uncaught.map((error) => error.message)).toEqual([])
  } finally {
    other.close()
  }
})
