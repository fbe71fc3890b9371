import { expect, it } from 'vitest'
import { ReplayBuffer } from './replay-buffer.ts'

it('replays exactly the bytes after a seq, and asks for a reset once they were dropped', () => {
  const buffer = new ReplayBuffer(8)
  expect(buffer.append(Buffer.from('abcd'))).toBe(0)
  expect(buffer.append(Buffer.from('efgh'))).toBe(4)
  expect(buffer.since(6)).toEqual({ seq: 6, data: Buffer.from('gh'), reset: false })
  expect(buffer.since(8).data.length).toBe(0)
  expect(buffer.since(0)).toEqual({ seq: 0, data: Buffer.from('abcdefgh'), reset: false })
  buffer.append(Buffer.from('ijkl'))
  expect(buffer.end).toBe(12)
  expect(buffer.since(2)).toEqual({ seq: 4, data: Buffer.from('efghijkl'), reset: true })
  expect(buffer.since(0).reset).toBe(true)
  expect(buffer.since(10)).toEqual({ seq: 10, data: Buffer.from('kl'), reset: false })
})

it('replays from any seq inside the kept chunks, at and between chunk boundaries', () => {
  const buffer = new ReplayBuffer(1000)
  const parts = ['ab', 'cde', '', 'f', 'ghij']
  for (const part of parts) buffer.append(Buffer.from(part))
  const all = parts.join('')
  for (let seq = 0; seq <= all.length; seq++) {
    expect(buffer.since(seq)).toEqual({ seq, data: Buffer.from(all.slice(seq)), reset: false })
  }
})

it('never drops pinned bytes: past capacity it grows and says it is full, and trims once the pin moves on', () => {
  const buffer = new ReplayBuffer(8)
  buffer.append(Buffer.from('abcd'))
  buffer.pin(2)
  expect(buffer.full).toBe(false)
  buffer.append(Buffer.from('efgh'))
  buffer.append(Buffer.from('ijkl'))
  // 'abcd' holds bytes from seq 2 on: kept, and the 10 pinned bytes fill the 8 of capacity.
  expect(buffer.full).toBe(true)
  expect(buffer.since(2)).toEqual({ seq: 2, data: Buffer.from('cdefghijkl'), reset: false })
  buffer.pin(4)
  expect(buffer.since(4)).toEqual({ seq: 4, data: Buffer.from('efghijkl'), reset: false })
  expect(buffer.since(2).reset).toBe(true)
  expect(buffer.full).toBe(true)
  buffer.pin(null)
  expect(buffer.full).toBe(false)
  buffer.append(Buffer.from('mnop'))
  expect(buffer.since(0)).toEqual({ seq: 8, data: Buffer.from('ijklmnop'), reset: true })
})
