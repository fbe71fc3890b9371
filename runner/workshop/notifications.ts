/** The instructor's broadcasts and hints, the last few kept so a tab that opens later still shows them. */
import type { Notification, ServerEvent } from '../../protocol/messages.ts'

const KEPT = 20

export class Notifications {
  private readonly kept: Notification[] = []
  private nextId = 1

  constructor(private readonly broadcast: (event: ServerEvent) => void) {}

  all(): Notification[] {
    return this.kept
  }

  notify(notification: Omit<Notification, 'id' | 'at'>): Notification {
    const full = { ...notification, id: this.nextId++, at: Date.now() }
    this.kept.push(full)
    if (this.kept.length > KEPT) this.kept.shift()
    this.broadcast({ type: 'notification', notification: full })
    return full
  }
}
