/**
 * The instructor's own terminal for the presenter view: a shell in a pty on the hub's machine. Only the dashboard
 * (instructor secret) may type into it; followers receive its output and nothing else. A bounded replay buffer lets a
 * late follower see the screen's recent history.
 */
import { type IPty, spawn } from 'node-pty'

export interface PresenterTerminal {
  /** Recent output (at most `replayBytes`), for a viewer that just connected. */
  replay(): string
  onData(listener: (data: string) => void): () => void
  write(data: string): void
  resize(cols: number, rows: number): void
  close(): void
}

export interface PresenterOptions {
  /** [shell=$SHELL or bash] */
  shell?: string
  args?: string[]
  cwd?: string
  /** [env=the hub's, without INSTRUCTOR_SECRET and WORKSHOP_CODE] */
  env?: Record<string, string>
  /** [replayChars=262144] How much recent output a new viewer receives. */
  replayChars?: number
}

/**
 * The hub's environment without the hub's own secrets. Every follower (anyone with the workshop code) sees what this
 * shell prints, so an `env` typed while presenting would hand the class INSTRUCTOR_SECRET: the dashboard, and with it
 * this very shell, root on the hub's machine.
 */
function presenterEnv(): Record<string, string> {
  const { INSTRUCTOR_SECRET: _secret, WORKSHOP_CODE: _code, ...env } = process.env
  return env as Record<string, string>
}

export function createPresenterTerminal(options: PresenterOptions = {}): PresenterTerminal {
  const limit = options.replayChars ?? 256 * 1024
  const pty: IPty = spawn(options.shell ?? process.env.SHELL ?? 'bash', options.args ?? [], {
    name: 'xterm-256color',
    cols: 100,
    rows: 30,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? presenterEnv(),
  })
  const listeners = new Set<(data: string) => void>()
  let buffer = ''
  let exited = false
  pty.onData((data) => {
    buffer = (buffer + data).slice(-limit)
    for (const listener of listeners) listener(data)
  })
  pty.onExit(() => {
    exited = true
  })
  return {
    replay: () => buffer,
    onData(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    write: (data) => {
      if (!exited) pty.write(data)
    },
    resize: (cols, rows) => {
      if (!exited) pty.resize(cols, rows)
    },
    close() {
      listeners.clear()
      if (exited) return
      // An interactive bash can ignore SIGHUP; make sure it goes.
      pty.kill('SIGHUP')
      setTimeout(() => {
        if (!exited) pty.kill('SIGKILL')
      }, 500).unref()
    },
  }
}
