import { CodedError } from '../../../protocol/coded-error.ts'
import type { ToolHandler } from './tool.ts'

/**
 * A real subcommand or flag of kubectl, docker, helm, kind or containerlab that the twin does not do. It is refused
 * rather than ignored or called unknown: "unknown command" would tell a learner they mistyped, and an ignored flag
 * would do something else than they asked (`--field-selector` once deleted every agent instead of one).
 */
export class NotEmulatedError extends CodedError<'TWIN_NOT_EMULATED'> {
  /**
   * @param tool the tool as the learner knows it (`kubectl`)
   * @param what the subcommand or flag, as typed after the tool (`rollout`, `get --watch`)
   * @param instead what to use in the twin lab, one sentence
   */
  constructor(tool: string, what: string, instead: string) {
    super('TWIN_NOT_EMULATED', `${tool}: '${what}' is not available in the twin lab\n${instead}`)
  }
}

/** A tool whose refusals are its answer: a NotEmulatedError thrown anywhere in it is printed, and the exit code is 1. */
export function answeringNotEmulated(run: ToolHandler): ToolHandler {
  return async (io, lab) => {
    try {
      return await run(io, lab)
    } catch (error) {
      if (!(error instanceof NotEmulatedError)) throw error
      io.stderr(`${error.message}\n`)
      return { exitCode: 1 }
    }
  }
}

/**
 * A real tool's subcommands (from its own help, cited where each table is written): those the twin emulates, and
 * the others with what to use instead.
 */
export interface CommandTable {
  tool: string
  emulated: readonly string[]
  notEmulated: Readonly<Record<string, string>>
  /** Alias -> subcommand (`ls` -> `list`); cobra accepts them but never suggests them. */
  aliases?: Readonly<Record<string, string>>
}

/** The subcommand `word` names, through an alias if it is one. */
export const commandName = (table: CommandTable, word: string): string =>
  table.aliases && Object.hasOwn(table.aliases, word) ? table.aliases[word] : word

/** Throws the honest answer when `word` is a real subcommand the twin does not do; returns for anything else. */
export function refuseIfReal(table: CommandTable, word: string, what = word): void {
  const name = commandName(table, word)
  if (Object.hasOwn(table.notEmulated, name)) throw new NotEmulatedError(table.tool, what, table.notEmulated[name])
}

/** Levenshtein distance, case-insensitive, as cobra's `ld(s, t, true)`. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  let row = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const next = [i]
    for (let j = 1; j <= t.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1))
    row = next
  }
  return row[t.length]
}

/**
 * cobra's "Did you mean this?" block for a mistyped subcommand (SuggestionsFor: distance at most 2, or a prefix),
 * in the sorted order cobra lists commands; empty when nothing is close. Real CLIs built on cobra (kubectl, helm,
 * kind, containerlab) print it inside their unknown-command error.
 */
export function suggestions(table: CommandTable, typed: string): string {
  const all = [...new Set([...table.emulated, ...Object.keys(table.notEmulated)])].sort()
  const close = all.filter((name) => distance(typed, name) <= 2 || name.toLowerCase().startsWith(typed.toLowerCase()))
  return close.length ? `\n\nDid you mean this?\n${close.map((name) => `\t${name}\n`).join('')}` : ''
}
