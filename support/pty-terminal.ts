/**
 * A program on a terminal of node-pty, driven as a learner types into it: `type` sends keys and returns where the
 * screen stood, `shows` waits until the screen (from there) shows a text or matches a pattern, naming what it showed
 * instead when it gives up.
 */
import { type IPty, spawn } from 'node-pty'
import { until } from './lab-helpers.ts'

export interface PtyTerminal {
  pty: IPty
  /** Everything the terminal printed so far, bracketed-paste switches left out (the learner does not see them). */
  screen(): string
  /** Sends keys; returns the screen's length before them, to wait on what follows. */
  type(keys: string): number
  shows(what: RegExp | string, after?: number): Promise<true>
}

export function ptyTerminal(
  file: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; cols?: number; rows?: number; timeoutMs?: number },
): PtyTerminal {
  const pty = spawn(file, args, { cols: 100, rows: 30, ...options })
  let printed = ''
  pty.onData((data) => (printed += data))
  const screen = () => printed.replace(/\x1b\[\?2004[hl]/g, '')
  return {
    pty,
    screen,
    type(keys) {
      const mark = screen().length
      pty.write(keys)
      return mark
    },
    shows: (what, after = 0) =>
      until(
        `${what} on the terminal`,
        () => {
          const rest = screen().slice(after)
          if (typeof what === 'string' ? rest.includes(what) : what.test(rest)) return true
          throw new Error(`it shows ${JSON.stringify(rest.slice(-400))}`)
        },
        { timeoutMs: options.timeoutMs ?? 10_000, intervalMs: 50 },
      ),
  }
}
