/**
 * Runs off-script commands one at a time on a lab at one stop of the course, classifies each answer, and after each
 * (and its restore commands) checks the lab is still as the stop left it, so one bad input is found as the one that
 * broke it.
 */
import type { LabBackend } from '../../lab/backend.ts'
import { type CommandAnswer, classify, type Outcome } from './classify.ts'
import type { OffscriptCommand } from './commands.ts'
import { type ProbeResult, waitUsable } from './lab-probe.ts'
import type { StopState } from './stops.ts'

export interface SweepResult {
  command: OffscriptCommand
  answer: CommandAnswer
  outcome: Outcome
  /** The probe after the command: not usable means this command left the lab broken (for 60 s at least). */
  after: ProbeResult
  /** Restore commands that failed, with their output. */
  restoreFailures: string[]
  ms: number
}

export interface SweepOptions {
  /**
   * Kill a command after this long; a timeout is an internal error. A pod's traceroute to a hop past leaf1 takes
   * 28 s of stars, as on the real lab. [timeoutMs=45000]
   */
  timeoutMs?: number
  /**
   * Lines the twin daemon logged since the last call (the caller taps the backend's onLog); without it only the
   * output tells a tool failure.
   */
  takeDaemonLog?: () => string[]
  onResult?: (result: SweepResult, index: number) => void
}

export async function sweep(
  lab: Pick<LabBackend, 'exec'>,
  state: StopState,
  commands: OffscriptCommand[],
  options: SweepOptions = {},
): Promise<SweepResult[]> {
  const results: SweepResult[] = []
  for (const command of commands) {
    options.takeDaemonLog?.()
    const started = Date.now()
    const run = await lab.exec(command.command, { timeoutMs: options.timeoutMs ?? 45_000 })
    const answer: CommandAnswer = {
      exitCode: run.exitCode,
      stdout: run.stdout,
      stderr: run.stderr,
      timedOut: run.timedOut,
      daemonLog: options.takeDaemonLog?.() ?? [],
    }
    const ms = Date.now() - started
    const restoreFailures: string[] = []
    // A refused command changed nothing, and its restore may be refused too (uncordon after cordon).
    for (const restore of run.exitCode === 0 ? (command.restore ?? []) : []) {
      const done = await lab.exec(restore, { timeoutMs: 90_000 })
      if (done.exitCode !== 0 || done.timedOut)
        restoreFailures.push(
          `${restore}: exit ${done.exitCode}${done.timedOut ? ' (timed out)' : ''}\n${done.stdout}${done.stderr}`,
        )
    }
    const result = {
      command,
      answer,
      outcome: classify(command, answer),
      after: await waitUsable(lab, state),
      restoreFailures,
      ms,
    }
    results.push(result)
    options.onResult?.(result, results.length - 1)
  }
  return results
}
