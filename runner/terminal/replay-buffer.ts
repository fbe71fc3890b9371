/**
 * The last `capacity` bytes of a terminal's output, addressed by sequence number (bytes since the terminal
 * started). A client that reconnects says which seq it has and gets exactly the bytes after it: nothing lost, nothing
 * written twice. If it asks for bytes that were already dropped, it gets everything kept and must clear first.
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
    while (this.size - this.chunks[0].length >= this.capacity) {
      const dropped = this.chunks.shift()!
      this.size -= dropped.length
      this.start += dropped.length
    }
    return seq
  }

  since(seq: number): Replay {
    if (seq > this.end) return { seq: this.start, data: Buffer.concat(this.chunks), reset: true }
    if (seq < this.start) return { seq: this.start, data: Buffer.concat(this.chunks), reset: seq !== 0 || this.start !== 0 }
    // Only the chunks that hold bytes from `seq` on, found from the end: a reconnecting tab and the scrollback store
    // ask for recent bytes, and joining the whole 2 MiB for them cost a copy of it each time.
    let first = this.chunks.length
    let at = this.end
    while (first > 0 && at > seq) at -= this.chunks[--first].length
    return { seq, data: Buffer.concat(this.chunks.slice(first)).subarray(seq - at), reset: false }
  }
}
