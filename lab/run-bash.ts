/**
 * Runs one probe or lab command with `bash -c`, the way every backend's `exec` does: a timeout that kills the whole
 * process group (a probe that spawned `ping` must not outlive its check), an abort signal, and a result instead of a
 * throw for non-zero exits, because a failing probe is an answer, not an error.
 */
import { execa } from 'execa'
import type { ExecOptions, ExecResult } from './backend.ts'

export interface RunBashOptions extends ExecOptions {
  env?: Record<string, string>
  /** Extra arguments put before `bash`, e.g. `['ip', 'netns', 'exec', ns]` to run inside a namespace. */
  prefix?: string[]
}

/** Grace between SIGTERM and SIGKILL when a command times out. */
const KILL_GRACE_MS = 1000

export async function runBash(command: string, options: RunBashOptions = {}): Promise<ExecResult> {
  const started = performance.now()
  const [file, ...args] = [...(options.prefix ?? []), 'bash', '-c', command]
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    // Own process group, so a timeout reaches the command's children too: they hold the output pipes open, and
    // killing bash alone would leave the result waiting for them.
    detached: true,
    cleanup: true,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
  })
  let timedOut = false
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal)
    } catch {
      // The group is already gone: nothing left to stop.
    }
  }
  const stop = () => {
    killGroup('SIGTERM')
    setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref()
  }
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true
          stop()
        }, options.timeoutMs)
  options.signal?.addEventListener('abort', stop, { once: true })
  const result = await child
  clearTimeout(timer)
  options.signal?.removeEventListener('abort', stop)
  return {
    exitCode: timedOut ? 124 : (result.exitCode ?? 128 + 9),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut,
    durationMs: Math.round(performance.now() - started),
  }
}
