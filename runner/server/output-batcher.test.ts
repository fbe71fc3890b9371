import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { OutputBatcher } from './output-batcher.ts'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

/** Feeds `chunks` as a pty would (seq = bytes before each chunk) and records the frames sent. */
function feed(batcher: OutputBatcher, chunks: Buffer[], start = 0): number {
  let seq = start
  for (const chunk of chunks) {
    batcher.push(seq, chunk)
    seq += chunk.length
  }
  return seq
}

it('sends the first chunk and a lone echo at once, without waiting for the window', () => {
  const frames: { seq: number; bytes: number }[] = []
  const batcher = new OutputBatcher((seq, chunks) => frames.push({ seq, bytes: Buffer.concat(chunks).length }))
  feed(batcher, [Buffer.from('prompt$ ')])
  feed(batcher, [Buffer.from('k')], 8)
  expect(frames).toEqual([
    { seq: 0, bytes: 8 },
    { seq: 8, bytes: 1 },
  ])
})

it('joins a burst into frames no larger than maxBytes, contiguous and complete', () => {
  const frames: { seq: number; data: Buffer }[] = []
  const batcher = new OutputBatcher((seq, chunks) => frames.push({ seq, data: Buffer.concat(chunks) }), {
    maxBytes: 10_000,
  })
  const chunks = Array.from({ length: 100 }, (_, i) => Buffer.alloc(3000 + (i % 7) * 150, 97 + (i % 26)))
  const end = feed(batcher, chunks)
  vi.advanceTimersByTime(5)
  expect(frames.length).toBeLessThan(chunks.length / 2)
  for (const frame of frames.slice(1)) expect(frame.data.length).toBeLessThanOrEqual(10_000)
  let seq = 0
  for (const frame of frames) {
    expect(frame.seq).toBe(seq)
    seq += frame.data.length
  }
  expect(seq).toBe(end)
  expect(Buffer.concat(frames.map((f) => f.data)).equals(Buffer.concat(chunks))).toBe(true)
})

it('sends a chunk larger than maxBytes alone rather than splitting or holding it', () => {
  const sizes: number[] = []
  const batcher = new OutputBatcher((_seq, chunks) => sizes.push(Buffer.concat(chunks).length), { maxBytes: 1000 })
  feed(batcher, [Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(5000), Buffer.alloc(600)])
  vi.advanceTimersByTime(5)
  expect(sizes).toEqual([600, 600, 5000, 600])
})
