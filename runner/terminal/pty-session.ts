/**
 * One learner terminal: a bash in a pty on the lab host, its replay buffer, and its finished commands (from the
 * shell-integration markers). Output is raw bytes end to end; seq numbers count them.
 */
import pty from 'node-pty'
import type { ShellSpec } from '../../lab/backend.ts'
import { LabRequestError } from '../request-error.ts'
import { type Replay, ReplayBuffer } from './replay-buffer.ts'
import { type FinishedCommand, ShellIntegrationParser } from './shell-integration.ts'
import { withShellIntegration } from './shell-rc.ts'

/** Input a terminal holds for a program that does not read it, at most: far above any paste, which a shell reads. */
export const INPUT_PENDING_MAX = 4 * 1024 * 1024

export interface PtySessionOptions {
  id: string
  shell: ShellSpec
  /** The shell-integration rc file (see shell-rc.ts). */
  rcFile: string
  cols?: number
  rows?: number
  /** Bytes kept for replay on reconnect. */
  replayBytes?: number
  /** Output of this terminal's earlier shell (a restarted runner's): replayed first, before anything the new one prints. */
  history?: Buffer
}

type OutputListener = (seq: number, data: Buffer) => void

export class PtySession {
  readonly id: string
  private readonly pty: pty.IPty
  private readonly buffer: ReplayBuffer
  private readonly parser: ShellIntegrationParser
  private readonly outputListeners = new Set<OutputListener>()
  private readonly exitListeners = new Set<(exitCode: number) => void>()
  private readonly pausedBy = new Set<unknown>()
  /** Each tab showing this terminal, and the seq up to which it has acknowledged the output. */
  private readonly readers = new Map<unknown, number>()
  /** Holds the pty paused while no tab shows it and the output kept for the tab that left fills the buffer. */
  private readonly unread = Symbol('no tab reads')
  private exited: number | null = null

  constructor(options: PtySessionOptions) {
    this.id = options.id
    this.buffer = new ReplayBuffer(options.replayBytes)
    if (options.history) this.buffer.append(options.history)
    const shell = withShellIntegration(options.shell, options.rcFile)
    this.parser = new ShellIntegrationParser(shell.nonce)
    this.pty = pty.spawn(shell.file, shell.args, {
      name: 'xterm-256color',
      cols: options.cols ?? 100,
      rows: options.rows ?? 30,
      cwd: options.shell.cwd,
      env: shell.env,
      // Raw bytes: seq numbers count bytes and UTF-8 sequences split across chunks stay intact for the browser.
      encoding: null,
    } as pty.IPtyForkOptions)
    this.pty.onData((data) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : (data as Buffer)
      const seq = this.buffer.append(chunk)
      if (this.readers.size === 0 && this.buffer.full) this.pause(this.unread)
      this.parser.push(chunk)
      for (const listener of this.outputListeners) listener(seq, chunk)
    })
    this.pty.onExit(({ exitCode }) => {
      this.exited = exitCode
      for (const listener of this.exitListeners) listener(exitCode)
    })
  }

  get alive(): boolean {
    return this.exited === null
  }

  /** Seq one past the last byte of output. */
  get seq(): number {
    return this.buffer.end
  }

  /** True while a command runs (between its start and end markers). */
  get busy(): boolean {
    return this.parser.busy
  }

  replay(fromSeq: number): Replay {
    return this.buffer.since(fromSeq)
  }

  /**
   * Writes keystrokes or a paste, or refuses them (`LAB_INPUT_FULL`) while the pty already holds
   * `INPUT_PENDING_MAX` bytes its program has not read (a `sleep` in the foreground). Without the limit a tab could
   * send input into such a terminal until the runner's memory, a hub's with every hosted lab, ran out.
   */
  write(data: string): void {
    if (!this.alive) return
    if (this.pendingInput() + Buffer.byteLength(data) > INPUT_PENDING_MAX)
      throw new LabRequestError(
        'LAB_INPUT_FULL',
        `terminal ${this.id} has not read the last ${INPUT_PENDING_MAX / 1024 / 1024} MiB of input yet: this input is dropped`,
      )
    this.pty.write(data)
  }

  /**
   * Bytes written but not yet taken by the kernel. node-pty 1.1 keeps what the pty refuses in a queue of its own,
   * without limit and with no public size; runner/server/input-flood.test.ts proves this still reads it.
   */
  private pendingInput(): number {
    const queue = (this.pty as unknown as { _writeStream?: { _writeQueue?: { buffer: Buffer; offset: number }[] } })
      ._writeStream?._writeQueue
    return queue?.reduce((sum, task) => sum + task.buffer.length - task.offset, 0) ?? 0
  }

  resize(cols: number, rows: number): void {
    if (this.alive) this.pty.resize(cols, rows)
  }

  /** Flow control: the pty stops being read while any holder (a slow client) has it paused. */
  pause(holder: unknown): void {
    if (this.pausedBy.size === 0 && this.alive) this.pty.pause()
    this.pausedBy.add(holder)
  }

  resume(holder: unknown): void {
    if (!this.pausedBy.delete(holder)) return
    if (this.pausedBy.size === 0 && this.alive) this.pty.resume()
  }

  /**
   * Tab `reader` shows this terminal and has acknowledged its output up to `ackedSeq`. The replay buffer keeps
   * everything from the oldest such seq, so a tab that reloads or loses its socket comes back without a gap.
   */
  read(reader: unknown, ackedSeq: number): void {
    this.readers.set(reader, ackedSeq)
    this.buffer.pin(Math.min(...this.readers.values()))
    this.resume(this.unread)
  }

  /**
   * Tab `reader` no longer shows this terminal (hidden, reloading, closed). If it was the last, what it had not
   * acknowledged stays kept for its return, and once that fills the replay buffer the pty is not read until a tab
   * attaches again: the program waits, as it would for a slow terminal, instead of its output being lost.
   */
  leave(reader: unknown): void {
    const ackedSeq = this.readers.get(reader)
    if (ackedSeq === undefined) return
    this.readers.delete(reader)
    this.buffer.pin(this.readers.size > 0 ? Math.min(...this.readers.values()) : ackedSeq)
    if (this.readers.size === 0 && this.buffer.full) this.pause(this.unread)
    this.resume(reader)
  }

  onOutput(listener: OutputListener): () => void {
    this.outputListeners.add(listener)
    return () => this.outputListeners.delete(listener)
  }

  onCommand(listener: (command: FinishedCommand) => void): () => void {
    return this.parser.onCommand(listener)
  }

  onExit(listener: (exitCode: number) => void): () => void {
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  /** Ends the shell: SIGHUP like a closed terminal, SIGKILL if an interactive bash ignores it. */
  async dispose(): Promise<void> {
    if (!this.alive) return
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()))
    // Read again, keeping nothing for tabs: a pty left paused reports its exit only after node-pty gives up on it.
    this.readers.clear()
    this.buffer.pin(null)
    for (const holder of [...this.pausedBy]) this.resume(holder)
    this.pty.kill('SIGHUP')
    const timer = setTimeout(() => this.alive && this.pty.kill('SIGKILL'), 1000)
    await exited
    clearTimeout(timer)
  }
}
