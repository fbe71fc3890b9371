/**
 * How a client acknowledges output (flow control): bytes written by xterm are acknowledged once at least this many
 * have added up, and whatever is left {@link ACK_IDLE_MS} after the last write. The runner resumes a paused pty below
 * its low-water mark, which must stay above this batch so a client holding back a partial batch cannot stall it.
 * One ack per 256 KiB instead of one per frame (64 KiB) means fewer sends and wakeups on both ends (what it measured:
 * bench/results/decisions.md).
 */
export const ACK_EVERY_BYTES = 256 * 1024
export const ACK_IDLE_MS = 10

/** Adds up written bytes and sends them as acks per {@link ACK_EVERY_BYTES}, the rest after {@link ACK_IDLE_MS}. */
export class AckBatcher {
  private pending = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly sendAck: (bytes: number) => void) {}

  written(bytes: number): void {
    this.pending += bytes
    if (this.pending >= ACK_EVERY_BYTES) this.flush()
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), ACK_IDLE_MS)
  }

  /** Sends what is pending now (also called by the idle timer). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const bytes = this.pending
    this.pending = 0
    if (bytes > 0) this.sendAck(bytes)
  }
}
