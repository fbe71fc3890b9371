/**
 * The last `capacity` bytes of a terminal's output, addressed by sequence number (bytes since the terminal
 * started). A client that reconnects says which seq it has and gets exactly the bytes after it: nothing lost, nothing
 * written twice. If it asks for bytes that were already dropped, it gets everything kept and must clear first.
 * Bytes from a pinned seq on are never dropped (a tab still needs them): the owner stops writing when they fill it.
 */

export interface Replay {
  /** Seq of the first byte of `data`. */
  seq: number
  data: Buffer
  /** The requested seq was older than the buffer: the client must reset its screen before writing `data`. */
  reset: boolean
}

export class ReplayBuffer {
  private chunks: Buffer[] = []
  private size = 0
  /** Seq of the first byte kept. */
  private start = 0
  /** Seq from which nothing is dropped; null when every byte past capacity may go. */
  private pinned: number | null = null

  /** @param capacity bytes kept for replay (default 2 MiB, a generous scrollback). */
  constructor(private readonly capacity = 2 * 1024 * 1024) {}

  /** Seq one past the last byte written. */
  get end(): number {
    return this.start + this.size
  }

  /** Appends output and returns the seq of its first byte. */
  append(data: Buffer): number {
    const seq = this.end
    this.chunks.push(data)
    this.size += data.length
    this.trim()
    return seq
  }

  /** Keeps every byte from `seq` on, past capacity if need be, until pinned elsewhere or unpinned (null). */
  pin(seq: number | null): void {
    this.pinned = seq
    this.trim()
  }

  /** True when the pinned bytes fill the capacity: what is written next grows the buffer past it. */
  get full(): boolean {
    return this.pinned !== null && this.end - Math.max(this.pinned, this.start) >= this.capacity
  }

  /** Drops whole chunks from the front while more than `capacity` is left and the chunk ends before the pin. */
  private trim(): void {
    while (
      this.chunks.length > 0 &&
      this.size - this.chunks[0].length >= this.capacity &&
      (this.pinned === null || this.start + this.chunks[0].length <= this.pinned)
    ) {
      const dropped = this.chunks.shift()!
      this.size -= dropped.length
      this.start += dropped.length
    }
  }

  since(seq: number): Replay {
    if (seq > this.end) return { seq: this.start, data: Buffer.concat(this.chunks), reset: true }
    if (seq < this.start)
      return { seq: this.start, data: Buffer.concat(this.chunks), reset: seq !== 0 || this.start !== 0 }
    // Only the chunks that hold bytes from `seq` on, found from the end: a reconnecting tab and the scrollback store
    // ask for recent bytes, and joining the whole 2 MiB for them cost a copy of it each time.
    let first = this.chunks.length
    let at = this.end
    while (first > 0 && at > seq) at -= this.chunks[--first].length
    return { seq, data: Buffer.concat(this.chunks.slice(first)).subarray(seq - at), reset: false }
  }
}
