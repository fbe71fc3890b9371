/**
 * What a command's answer was, decided from its exit code and output alone (and the twin daemon's log while it ran),
 * so 150 answers can be read by kind: the three defect classes are what a person reads after a sweep.
 */
import type { OffscriptCommand } from './commands.ts'

export type OutcomeClass =
  | 'answered'
  | 'tool error'
  | 'honest limit'
  | 'unknown command'
  | 'wrong answer'
  | 'internal error'

/** The classes that are a defect of the twin, not an answer a real lab could give. */
export const DEFECTS: readonly OutcomeClass[] = ['unknown command', 'wrong answer', 'internal error']

export interface CommandAnswer {
  exitCode: number
  stdout: string
  stderr: string
  timedOut: boolean
  /** Lines the twin daemon logged while the command ran: a tool that threw logs its stack there. */
  daemonLog: string[]
}

export interface Outcome {
  class: OutcomeClass
  /** Why, in a few words (which pattern matched). */
  why: string
}

/**
 * Output no real tool prints: a JavaScript stack or error name, a value printed without formatting, or the shim
 * losing its daemon. Words like "internal" alone are not enough (kubectl prints INTERNAL-IP).
 */
const INTERNAL: readonly [RegExp, string][] = [
  [/^\s+at \S.*[(\s]\/?\S+:\d+:\d+\)?$/m, 'a stack trace'],
  [/\b(TypeError|ReferenceError|RangeError|SyntaxError|AggregateError)\b/, 'a JavaScript error'],
  // Not the API server's own "Internal error occurred: ..." (kubectl exec of a binary the container lacks).
  [/\binternal error\b(?! occurred: )/i, 'an internal error'],
  [/Cannot read propert|is not a function|is not iterable|Maximum call stack/, 'a JavaScript error message'],
  // Not "undefined" alone: FRR 8.4 itself prints "Local Role: undefined" for a neighbor with no role.
  [/\[object Object\]|\bNaN\b/, 'an unformatted value'],
  [/the lab is not running|: not available in this lab$/m, 'the tool lost its daemon'],
]

/** The twin's honest refusal (lab/twin/daemon/not-emulated.ts). */
const HONEST_LIMIT = /'[^'\n]+' is not available in the twin lab/

/**
 * Real tools' words for a command, flag, type or binary they do not know: right where the real lab says it too (a
 * typo), a defect where the real lab has it (a netshoot binary, a CRD, a subcommand).
 */
const UNKNOWN =
  /unknown (command|flag|shorthand flag|subcommand)|Unknown command|command not found|executable file not found|doesn't have a resource type|invalid choice|unrecognized option|invalid option/

/** A stack the daemon logged: its "    at" lines, or the first line of a tool failure with an Error name. */
const DAEMON_FAILURE = /^\s+at \S|\b\w*Error\b/

export function classify(command: OffscriptCommand, answer: CommandAnswer): Outcome {
  const output = `${answer.stdout}\n${answer.stderr}`
  if (answer.timedOut) return { class: 'internal error', why: 'timed out' }
  if (answer.daemonLog.some((line) => DAEMON_FAILURE.test(line)))
    return { class: 'internal error', why: 'the twin daemon logged a tool failure' }
  for (const [pattern, why] of INTERNAL) if (pattern.test(output)) return { class: 'internal error', why }
  if (HONEST_LIMIT.test(output)) return { class: 'honest limit', why: "the twin's refusal" }
  if (UNKNOWN.test(output)) {
    return command.unknown
      ? { class: 'tool error', why: 'unknown, as on the real lab' }
      : { class: 'unknown command', why: 'called unknown, though the real tool has it' }
  }
  // Only where commands.yaml knows the real answer: a twin that answers something else looks like any other answer.
  if (command.expect !== undefined && !new RegExp(command.expect, 'm').test(output))
    return { class: 'wrong answer', why: `not what the real tool answers (/${command.expect}/)` }
  const said = output.trim() !== ''
  if (!said && !command.quiet) return { class: 'internal error', why: `exit ${answer.exitCode} and an empty answer` }
  if (answer.exitCode === 0)
    return { class: 'answered', why: said ? 'exit 0 with output' : 'exit 0, quiet as the real tool' }
  return { class: 'tool error', why: `exit ${answer.exitCode} ${said ? 'with a message' : 'quiet as the real tool'}` }
}
