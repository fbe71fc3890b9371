/**
 * Turns finished terminal commands into step results. A step passes when its last command finished in its
 * terminal (Run or typed by hand, compared whitespace-insensitively) with the expected exit code and its matchers pass
 * on what its commands printed (the earlier commands of a multi-command step are found in the terminal's history).
 */
import type { Chapter, Locale, Step } from '../../protocol/course.ts'
import type { StepResult } from '../../protocol/messages.ts'
import { stepCommands } from '../../protocol/step-commands.ts'
import type { FinishedCommand } from '../terminal/shell-integration.ts'
import { matchAll } from '../verify/match-output.ts'

const HISTORY = 50
const OUTPUT_SHOWN = 6000

/** Bash joins multi-line commands with `;` or spaces in history: compare without those differences. */
export function normalizeCommand(command: string): string {
  return command.replace(/[\s;]+/g, ' ').trim()
}

export class StepTracker {
  private readonly history = new Map<string, FinishedCommand[]>()

  /** Records a finished command and returns the results of the steps (of `chapters`) it completes. */
  finished(terminal: string, command: FinishedCommand, chapters: Chapter[], locale: Locale): StepResult[] {
    const list = this.history.get(terminal) ?? []
    list.push(command)
    if (list.length > HISTORY) list.shift()
    this.history.set(terminal, list)
    return this.evaluate(terminal, command, chapters, locale)
  }

  /** The results of the steps (of `chapters`) that `command`, already recorded, completes. */
  evaluate(terminal: string, command: FinishedCommand, chapters: Chapter[], locale: Locale): StepResult[] {
    const list = this.history.get(terminal) ?? []
    const ran = normalizeCommand(command.command)
    const results: StepResult[] = []
    for (const chapter of chapters) {
      for (const step of chapter.steps) {
        const commands = stepCommands(step)
        if ((step.terminal ?? 'main') !== terminal || normalizeCommand(commands[commands.length - 1]) !== ran) continue
        results.push(evaluateStep(chapter.id, step, this.outputsFor(list, commands), command.exitCode, locale))
      }
    }
    return results
  }

  /** The outputs of the step's commands, most recent run of each, in order, ending with the command just finished. */
  private outputsFor(list: FinishedCommand[], commands: string[]): string[] {
    const outputs: string[] = []
    let index = list.length - 1
    for (let c = commands.length - 1; c >= 0 && index >= 0; c--) {
      const wanted = normalizeCommand(commands[c])
      while (index >= 0 && normalizeCommand(list[index].command) !== wanted) index--
      if (index >= 0) outputs.unshift(list[index--].output)
    }
    return outputs
  }
}

export function evaluateStep(
  chapterId: string,
  step: Step,
  outputs: string[],
  exitCode: number,
  locale: Locale,
): StepResult {
  const output = outputs.join('\n')
  const expectedExitCode = step.exitCode ?? 0
  const outcomes = matchAll(output, step.expect, {}, locale)
  const exitOk = exitCode === expectedExitCode
  const ok = exitOk && outcomes.every((o) => o.ok)
  return {
    chapterId,
    stepId: step.id,
    ok,
    exitCode,
    expectedExitCode,
    output: output.length > OUTPUT_SHOWN ? `...${output.slice(-OUTPUT_SHOWN)}` : output,
    outcomes: exitOk
      ? outcomes
      : [{ ok: false, expected: `exit code ${expectedExitCode}`, actual: `exit code ${exitCode}` }, ...outcomes],
    at: Date.now(),
  }
}
