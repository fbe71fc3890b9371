import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import type { ServerEvent, TopologySnapshot } from '../../protocol/messages.ts'
import { TopologyFeed } from './topology-feed.ts'

const INTERVAL = 3_000

const snapshot = (state: 'Established' | 'Active', at: number): TopologySnapshot => ({
  routers: [{ name: 'leaf0', role: 'leaf', asn: 65005, reachable: true }],
  nodes: [],
  sessions: [{ router: 'spine0', peer: 'leaf0', state }],
  routes: [],
  at,
})

/** A lab whose reads the test answers one by one, counting how many run at once. */
class ScriptedLab {
  reads = 0
  running = 0
  maxRunning = 0
  private answers: ((snapshot: TopologySnapshot) => void)[] = []

  read = (): Promise<TopologySnapshot> => {
    this.reads++
    this.maxRunning = Math.max(this.maxRunning, ++this.running)
    return new Promise((resolve) =>
      this.answers.push((s) => {
        this.running--
        resolve(s)
      }),
    )
  }

  /** Answers the read in flight and lets the feed handle the answer. */
  async answer(value: TopologySnapshot): Promise<void> {
    expect(this.running).toBe(1)
    this.answers.shift()!(value)
    await vi.advanceTimersByTimeAsync(0)
  }
}

let lab: ScriptedLab
let feed: TopologyFeed
const received: ServerEvent[] = []
const tab = (event: ServerEvent) => received.push(event)
const topologies = () => received.map((event) => (event.type === 'topology' ? event.topology.at : null))

beforeEach(() => {
  vi.useFakeTimers()
  lab = new ScriptedLab()
  feed = new TopologyFeed({ read: lab.read, intervalMs: INTERVAL })
  received.length = 0
})

afterEach(() => {
  feed.dispose()
  vi.useRealTimers()
})

it('reads nothing while no tab shows the diagram', async () => {
  await vi.advanceTimersByTimeAsync(10 * INTERVAL)
  expect(lab.reads).toBe(0)
})

it('reads at once for the first tab, then every interval after the last read ended, one read at a time', async () => {
  feed.subscribe(tab)
  expect(lab.reads).toBe(1)
  // A slow lab: no second read while the first is still running, however long it takes.
  await vi.advanceTimersByTimeAsync(5 * INTERVAL)
  expect(lab.reads).toBe(1)
  await lab.answer(snapshot('Established', 1))
  await vi.advanceTimersByTimeAsync(INTERVAL - 1)
  expect(lab.reads).toBe(1)
  await vi.advanceTimersByTimeAsync(1)
  expect(lab.reads).toBe(2)
  expect(lab.maxRunning).toBe(1)
})

it('sends a snapshot only when the lab changed, and the last one at once to a tab that comes later', async () => {
  feed.subscribe(tab)
  await lab.answer(snapshot('Established', 1))
  await vi.advanceTimersByTimeAsync(INTERVAL)
  // Read again, only the time differs: nothing sent.
  await lab.answer(snapshot('Established', 2))
  await vi.advanceTimersByTimeAsync(INTERVAL)
  await lab.answer(snapshot('Active', 3))
  expect(topologies()).toEqual([1, 3])

  const later: ServerEvent[] = []
  feed.subscribe((event) => later.push(event))
  expect(later).toEqual([{ type: 'topology', topology: snapshot('Active', 3) }])
})

it('stops reading when the last tab leaves, even with a read in flight', async () => {
  const off = feed.subscribe(tab)
  const offOther = feed.subscribe(() => undefined)
  await lab.answer(snapshot('Established', 1))
  await vi.advanceTimersByTimeAsync(INTERVAL)
  offOther()
  off()
  await lab.answer(snapshot('Active', 2))
  await vi.advanceTimersByTimeAsync(10 * INTERVAL)
  expect(lab.reads).toBe(2)
  expect(topologies()).toEqual([1])
})
