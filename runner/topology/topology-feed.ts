/**
 * The topology diagram's feed: while at least one tab shows the diagram, reads the lab every few seconds and sends the
 * snapshot to those tabs when it changed. No tab subscribed, no probe runs; a read never starts before the last one
 * ended, however slow the lab answers.
 */
import type { ServerEvent, TopologySnapshot } from '../../protocol/messages.ts'
import { type Tab, Tabs } from '../server/tabs.ts'

/** Between the end of one read and the start of the next. */
export const TOPOLOGY_POLL_MS = 3_000

export interface TopologyFeedOptions {
  read: () => Promise<TopologySnapshot>
  /** [intervalMs=TOPOLOGY_POLL_MS] */
  intervalMs?: number
}

export class TopologyFeed {
  private readonly tabs = new Tabs()
  private last: TopologySnapshot | null = null
  private timer: NodeJS.Timeout | undefined
  private reading = false
  private disposed = false

  constructor(private readonly options: TopologyFeedOptions) {}

  /** The tab gets the last snapshot at once (if there is one) and every change after it, until it calls the result. */
  subscribe(tab: Tab): () => void {
    if (this.last) tab(this.event(this.last))
    const remove = this.tabs.add(tab)
    if (!this.reading && !this.timer && !this.disposed) void this.poll()
    return () => {
      remove()
      if (this.tabs.size === 0) this.stop()
    }
  }

  dispose(): void {
    this.disposed = true
    this.tabs.clear()
    this.stop()
  }

  private async poll(): Promise<void> {
    this.timer = undefined
    this.reading = true
    try {
      const snapshot = await this.options.read()
      if (this.tabs.size > 0 && !sameTopology(this.last, snapshot)) {
        this.last = snapshot
        this.tabs.broadcast(this.event(snapshot))
      }
    } catch (error) {
      // The reader reports a failed probe as `unknown`; anything else is a bug, and must not stop the runner.
      console.error('lab runner: reading the topology failed:', error)
    } finally {
      this.reading = false
    }
    if (this.tabs.size > 0 && !this.disposed)
      this.timer = setTimeout(() => void this.poll(), this.options.intervalMs ?? TOPOLOGY_POLL_MS)
  }

  /** Forgets the last snapshot too: a tab that subscribes later must not be shown a lab as it was minutes ago. */
  private stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.last = null
  }

  private event(topology: TopologySnapshot): ServerEvent {
    return { type: 'topology', topology }
  }
}

function sameTopology(a: TopologySnapshot | null, b: TopologySnapshot): boolean {
  return a !== null && JSON.stringify({ ...a, at: 0 }) === JSON.stringify({ ...b, at: 0 })
}
