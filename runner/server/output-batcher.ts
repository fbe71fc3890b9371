/**
 * Coalesces pty output into fewer WebSocket frames without delaying keystroke echoes: the first chunk after a quiet
 * spell goes out at once, and so does a small chunk when nothing is queued (an echo while typing fast); bulk chunks
 * arriving within the next `windowMs` are sent together, never more than `maxBytes` in one frame.
 */

/** Echoes and prompts are this small; pty reads during a burst are kilobytes. */
const SMALL_CHUNK = 512

export interface BatcherOptions {
  /** @default 5 */
  windowMs?: number
  /**
   * Largest batch (a single larger chunk still goes alone). The default keeps a whole frame, headers included, within
   * one 64 KiB socket read of a Node receiver: a batch that overflows it makes the receiver read twice and join the
   * pieces for every frame (bench/results/decisions.md).
   * @default 65024
   */
  maxBytes?: number
}

export class OutputBatcher {
  private chunks: Buffer[] = []
  private size = 0
  private seq = 0
  private timer: NodeJS.Timeout | null = null
  private readonly windowMs: number
  private readonly maxBytes: number

  constructor(
    /** Receives the chunks of one frame, contiguous from `seq` (joined once, by the frame encoder). */
    private readonly send: (seq: number, chunks: Buffer[]) => void,
    options: BatcherOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 5
    this.maxBytes = options.maxBytes ?? 64 * 1024 - 512
  }

  push(seq: number, data: Buffer): void {
    if (this.timer === null) {
      this.send(seq, [data])
      this.timer = setTimeout(() => this.windowEnded(), this.windowMs)
      return
    }
    if (this.size === 0 && data.length <= SMALL_CHUNK) return this.send(seq, [data])
    if (this.size > 0 && this.size + data.length > this.maxBytes) this.flush()
    if (this.size === 0) this.seq = seq
    this.chunks.push(data)
    this.size += data.length
    if (this.size >= this.maxBytes) this.flush()
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.chunks = []
    this.size = 0
  }

  private windowEnded(): void {
    this.timer = null
    if (this.size > 0) {
      this.flush()
      this.timer = setTimeout(() => this.windowEnded(), this.windowMs)
    }
  }

  private flush(): void {
    const chunks = this.chunks
    this.chunks = []
    this.size = 0
    this.send(this.seq, chunks)
  }
}
