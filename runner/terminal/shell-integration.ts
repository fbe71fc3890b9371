/**
 * Reads command boundaries from the shell-integration markers our bash rc prints (OSC 133 A/B/C/D as in
 * FinalTerm/VS Code, plus OSC 633 E carrying the command line): no guessing at prompts. Streams: markers may be
 * split across chunks. Works on bytes and decodes only the markers and, at the end of a command, its output, so a
 * 200 MB burst costs one byte scan per chunk.
 *
 * Only markers that carry the session's nonce as their last field count (C `133;C;<nonce>`, E `633;E;<line>;<nonce>`,
 * D `133;D;<exit>;<nonce>`): the same bytes printed by a command (a file, a program, a forged `printf`) are output
 * like any other, and credit nothing.
 */
import { stripAnsi } from '../verify/strip-ansi.ts'

export interface FinishedCommand {
  /** The command line as bash recorded it (multi-line commands joined by bash). */
  command: string
  exitCode: number
  /** What the command printed, ANSI-stripped. */
  output: string
  startedAt: number
  finishedAt: number
}

const OSC = Buffer.from('\x1b]')
const ST = Buffer.from('\x1b\\')
const BEL = 0x07
const MARKER = /^\x1b\](133|633);([A-Z])(?:;([\s\S]*))?$/
/** The markers that start a command, name it and end it (family and kind). */
const ACTED = new Set(['133C', '633E', '133D'])
/** Output kept per command; matchers see the end of a very long output. */
const MAX_OUTPUT = 256 * 1024
/** An OSC longer than this without its terminator is not ours: pass it through instead of holding it back. */
const MAX_MARKER = 8192
const ESC = 0x1b
const EMPTY = Buffer.alloc(0)

export class ShellIntegrationParser {
  private carry: Buffer = EMPTY
  private running: { command: string; chunks: Buffer[]; size: number; startedAt: number } | null = null
  private readonly listeners = new Set<(command: FinishedCommand) => void>()

  /** @param nonce the secret the shell puts on its markers (see shell-rc.ts). */
  constructor(private readonly nonce: string) {}

  /** True between a command start and its end. */
  get busy(): boolean {
    return this.running !== null
  }

  onCommand(listener: (command: FinishedCommand) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  push(chunk: Buffer): void {
    // Most reads of a large output hold no ESC at all (no marker can start in them): kept as they are, with no search
    // for markers, no copy and no allocation (bench/results/decisions.md).
    if (this.carry.length === 0 && chunk.indexOf(ESC) < 0) return this.output(chunk)
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk
    this.carry = EMPTY
    let pos = 0
    while (pos < data.length) {
      const start = data.indexOf(OSC, pos)
      if (start < 0) {
        // A lone ESC at the very end may be the first byte of the next marker.
        const keep = data[data.length - 1] === ESC ? 1 : 0
        this.output(data.subarray(pos, data.length - keep))
        if (keep) this.carry = Buffer.from([ESC])
        return
      }
      const bel = data.indexOf(BEL, start)
      const st = data.indexOf(ST, start + 2)
      const end = bel < 0 ? st : st < 0 ? bel : Math.min(bel, st)
      if (end < 0) {
        this.output(data.subarray(pos, start))
        if (data.length - start < MAX_MARKER) this.carry = Buffer.from(data.subarray(start))
        else this.output(data.subarray(start))
        return
      }
      const next = end === st ? end + 2 : end + 1
      const marker = MARKER.exec(data.toString('utf8', start, end))
      const fields = splitNonce(marker?.[3] ?? '')
      // A and B only mark the prompt; the markers that start, name and end a command count with the nonce alone.
      if (marker && (!ACTED.has(marker[1] + marker[2]) || fields.nonce === this.nonce)) {
        this.output(data.subarray(pos, start))
        this.marker(marker[1], marker[2], fields.args)
      } else {
        this.output(data.subarray(pos, next))
      }
      pos = next
    }
  }

  /** Keeps the command's output as bytes, dropping the oldest past the limit. */
  private output(bytes: Buffer): void {
    const running = this.running
    if (!running || bytes.length === 0) return
    running.chunks.push(bytes)
    running.size += bytes.length
    while (running.size - running.chunks[0].length >= MAX_OUTPUT) running.size -= running.chunks.shift()!.length
  }

  private marker(family: string, kind: string, args: string): void {
    if (family === '133' && kind === 'C') {
      this.running = { command: '', chunks: [], size: 0, startedAt: Date.now() }
    } else if (family === '633' && kind === 'E' && this.running) {
      this.running.command = args.trim()
    } else if (family === '133' && kind === 'D' && this.running) {
      const { command, chunks, startedAt } = this.running
      this.running = null
      if (command === '') return
      const output = stripAnsi(Buffer.concat(chunks).toString('utf8')).trim()
      const finished = { command, exitCode: Number.parseInt(args, 10) || 0, output, startedAt, finishedAt: Date.now() }
      for (const listener of this.listeners) listener(finished)
    }
  }
}

/** The last field is the nonce; the fields before it (the command line of E may itself hold `;`) are the arguments. */
function splitNonce(fields: string): { args: string; nonce: string } {
  const last = fields.lastIndexOf(';')
  return { args: last < 0 ? '' : fields.slice(0, last), nonce: fields.slice(last + 1) }
}
