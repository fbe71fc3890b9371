/**
 * Terminal output mirrored to the hub, batched per terminal: output is gathered for a short window and sent in
 * chunks no longer than the protocol allows, so a burst in the learner's terminal becomes a few messages instead of
 * hundreds (the hub closes runners that flood it). Bytes are decoded per terminal with a streaming decoder, so a
 * UTF-8 character split across two pty reads is not mangled.
 */
import { StringDecoder } from 'node:string_decoder'

export class MirrorBatcher {
  private readonly active = new Map<string, { unsubscribe: () => void; pending: string; timer?: NodeJS.Timeout }>()

  constructor(
    private readonly maxChunk: number,
    private readonly emit: (terminalId: string, data: string) => void,
    private readonly windowMs = 40,
  ) {}

  /** (Re)starts mirroring a terminal; a restart subscribes again so the new viewer gets the replay. */
  start(terminalId: string, subscribe: (listener: (data: Uint8Array) => void) => () => void): void {
    this.stop(terminalId)
    const entry: { unsubscribe: () => void; pending: string; timer?: NodeJS.Timeout } = {
      unsubscribe: () => undefined,
      pending: '',
    }
    this.active.set(terminalId, entry)
    const decoder = new StringDecoder('utf8')
    entry.unsubscribe = subscribe((data) => {
      entry.pending += decoder.write(data)
      entry.timer ??= setTimeout(() => this.flush(terminalId), this.windowMs)
    })
  }

  stop(terminalId: string): void {
    const entry = this.active.get(terminalId)
    if (!entry) return
    clearTimeout(entry.timer)
    entry.unsubscribe()
    this.active.delete(terminalId)
  }

  stopAll(): void {
    for (const terminalId of [...this.active.keys()]) this.stop(terminalId)
  }

  private flush(terminalId: string): void {
    const entry = this.active.get(terminalId)
    if (!entry) return
    entry.timer = undefined
    const data = entry.pending
    entry.pending = ''
    for (let i = 0; i < data.length; i += this.maxChunk) this.emit(terminalId, data.slice(i, i + this.maxChunk))
  }
}
