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
