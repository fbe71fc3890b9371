import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { ACK_EVERY_BYTES, ACK_IDLE_MS, AckBatcher } from '../../protocol/ack-batcher.ts'
import { decodeOutputFrame } from '../../protocol/messages.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

it('acknowledges every written byte once: in batches, and the rest when writing stops', () => {
  vi.useFakeTimers()
  try {
    const acks: number[] = []
    const batcher = new AckBatcher((bytes) => acks.push(bytes))
    const frame = 65024
    for (let i = 0; i < 5; i++) batcher.written(frame)
    expect(acks).toEqual([5 * frame])
    batcher.written(frame)
    batcher.written(100)
    expect(acks).toEqual([5 * frame])
    vi.advanceTimersByTime(ACK_IDLE_MS)
    expect(acks).toEqual([5 * frame, frame + 100])
    expect(acks[0]).toBeGreaterThanOrEqual(ACK_EVERY_BYTES)
    vi.advanceTimersByTime(10 * ACK_IDLE_MS)
    expect(acks).toHaveLength(2)
  } finally {
    vi.useRealTimers()
  }
})

let fixtureRunner: FixtureRunner | undefined
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(() => fixtureRunner?.stop())

it('streams a 6 MB output to a client acking in batches: every byte once and in order', async () => {
  const { runner } = fixtureRunner!
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    client.autoAck = false
    const acks = new AckBatcher((bytes) => client.send({ type: 'ack', terminal: 'main', bytes }))
    let expectedSeq = -1
    let gaps = 0
    client.socket.on('message', (data, isBinary) => {
      const frame = isBinary ? decodeOutputFrame(new Uint8Array(data as Buffer)) : null
      if (!frame) return
      if (expectedSeq >= 0 && frame.seq !== expectedSeq) gaps++
      expectedSeq = frame.seq + frame.data.length
      acks.written(frame.data.length)
    })
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await client.waitFor(() => client.text().includes('lab$'))
    client.send({
      type: 'input',
      terminal: 'main',
      data: 'yes 0123456789abcdef | head -c 6000000; echo ACKS-$((2+2))\n',
    })
    await client.waitFor(() => client.tail().includes('ACKS-4'), 60_000)
    expect(gaps).toBe(0)
    // The pty turns each '\n' into '\r\n': 18 bytes per 17-byte line, plus the prompt, the echo and the marker.
    const output = (6_000_000 / 17) * 18
    expect(client.bytes()).toBeGreaterThan(output)
    expect(client.bytes()).toBeLessThan(output + 2000)
  } finally {
    client.close()
  }
})
