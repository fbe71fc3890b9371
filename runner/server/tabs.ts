/**
 * The browser tabs of one learner: every event reaches each of them, so a reload or a second tab shows the same
 * state. A result that is also the reply to one tab's request goes to the others only (see ChapterChecks.run).
 */
import type { ServerEvent } from '../../protocol/messages.ts'

export type Tab = (event: ServerEvent) => void

export class Tabs {
  private readonly tabs = new Set<Tab>()

  add(tab: Tab): () => void {
    this.tabs.add(tab)
    return () => this.tabs.delete(tab)
  }

  broadcast(event: ServerEvent, except?: Tab): void {
    for (const tab of this.tabs) if (tab !== except) tab(event)
  }

  get size(): number {
    return this.tabs.size
  }

  clear(): void {
    this.tabs.clear()
  }
}
