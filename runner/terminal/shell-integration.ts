/**
 * Reads command boundaries from the shell-integration markers our bash rc prints (OSC 133 A/B/C/D as in
 * FinalTerm/VS Code, plus OSC 633 E carrying the command line): no guessing at prompts. Streams: markers may be
 * split across chunks.
 */
import { StringDecoder } from 'node:string_decoder'
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

const MARKER = /\x1b\](133|633);([A-Z])(?:;([^\x07\x1b]*))?(?:\x07|\x1b\\)/g
/** Output kept per command; matchers see the end of a very long output. */
const MAX_OUTPUT = 256 * 1024

export class ShellIntegrationParser {
  private decoder = new StringDecoder('utf8')
  private carry = ''
  private running: { command: string; output: string; startedAt: number } | null = null
  private readonly listeners = new Set<(command: FinishedCommand) => void>()
  /** True between a command start and its end. */
  get busy(): boolean {
    return this.running !== null
  }

  onCommand(listener: (command: FinishedCommand) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  push(chunk: Buffer): void {
    let text = this.carry + this.decoder.write(chunk)
    // Keep an unfinished escape at the end for the next chunk (markers are short; cap what we hold back).
    const lastEscape = text.lastIndexOf('\x1b]')
    if (lastEscape >= 0 && text.length - lastEscape < 4096 && !/[\x07]|\x1b\\/.test(text.slice(lastEscape + 2))) {
      this.carry = text.slice(lastEscape)
      text = text.slice(0, lastEscape)
    } else {
      this.carry = ''
    }
    let last = 0
    for (const m of text.matchAll(MARKER)) {
      this.output(text.slice(last, m.index))
      last = m.index! + m[0].length
      this.marker(m[1], m[2], m[3] ?? '')
    }
    this.output(text.slice(last))
  }

  private output(text: string): void {
    if (!this.running || text === '') return
    this.running.output = (this.running.output + text).slice(-MAX_OUTPUT)
  }

  private marker(family: string, kind: string, args: string): void {
    if (family === '133' && kind === 'C') {
      this.running = { command: '', output: '', startedAt: Date.now() }
    } else if (family === '633' && kind === 'E' && this.running) {
      this.running.command = args.trim()
    } else if (family === '133' && kind === 'D' && this.running) {
      const { command, output, startedAt } = this.running
      this.running = null
      if (command === '') return
      const finished = { command, exitCode: Number.parseInt(args, 10) || 0, output: stripAnsi(output).trim(), startedAt, finishedAt: Date.now() }
      for (const listener of this.listeners) listener(finished)
    }
  }
}
