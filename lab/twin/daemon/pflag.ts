/**
 * A command line read as spf13/pflag reads it, for the twin's tools built on cobra (kubectl, helm, kind,
 * containerlab): `--name value`, `--name=value`, `-n value`, `-nvalue`, `-it` (booleans together), `--` ending flags.
 */

import { CodedError } from '../../../protocol/coded-error.ts'

/** One flag: `value` takes an argument; `optional` takes one only as `--flag=value` (pflag's NoOptDefVal). */
export interface FlagSpec {
  short?: string
  value?: boolean
  optional?: string
}

/** Positional words, flags by long name (every value in order), and what followed `--` (null without one). */
export interface ParsedFlags {
  positional: string[]
  flags: Map<string, string[]>
  afterDash: string[] | null
}

/** pflag's wording for a flag the tool does not have or one missing its value; each tool prints it its own way. */
export class FlagParseError extends CodedError<'TWIN_FLAG_PARSE'> {
  constructor(message: string) {
    super('TWIN_FLAG_PARSE', message)
  }
}

/**
 * Parses `argv` over `flags`. `shortName` maps a shorthand letter to its flag (default: the flag whose `short` it
 * is), for tools where a letter means another flag in one command (`kubectl logs -f` is --follow).
 * `interspersed: false` is pflag's SetInterspersed(false): the first positional word ends the flags, and it and every
 * word after it are positional, for commands that take another command's line (`docker exec NAME ip -4 r`).
 */
export function parseFlags(
  argv: string[],
  flags: Record<string, FlagSpec>,
  shortName?: (letter: string) => string | undefined,
  { interspersed = true }: { interspersed?: boolean } = {},
): ParsedFlags {
  const byShort = shortName ?? ((letter: string) => Object.keys(flags).find((name) => flags[name].short === letter))
  const parsed: ParsedFlags = { positional: [], flags: new Map(), afterDash: null }
  const add = (name: string, value: string) => parsed.flags.set(name, [...(parsed.flags.get(name) ?? []), value])
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    if (word === '--') {
      parsed.afterDash = argv.slice(i + 1)
      break
    }
    if (!word.startsWith('-') || word === '-') {
      if (!interspersed) {
        parsed.positional.push(...argv.slice(i))
        break
      }
      parsed.positional.push(word)
      continue
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=')
      const name = word.slice(2, eq > 0 ? eq : undefined)
      const spec = flags[name]
      if (!spec) throw new FlagParseError(`unknown flag: --${name}`)
      if (eq > 0) add(name, word.slice(eq + 1))
      else if (spec.optional !== undefined) add(name, spec.optional)
      else if (!spec.value) add(name, 'true')
      else if (i + 1 < argv.length) add(name, argv[++i])
      else throw new FlagParseError(`flag needs an argument: ${word}`)
      continue
    }
    // Shorthands together: booleans until one takes a value, which is the rest of the word or the next word.
    for (let j = 1; j < word.length; j++) {
      const name = byShort(word[j])
      if (!name || !flags[name]) throw new FlagParseError(`unknown shorthand flag: '${word[j]}' in ${word}`)
      if (!flags[name].value) {
        add(name, 'true')
        continue
      }
      const rest = word.slice(j + 1).replace(/^=/, '')
      if (rest) add(name, rest)
      else if (i + 1 < argv.length) add(name, argv[++i])
      else throw new FlagParseError(`flag needs an argument: '${word[j]}' in -${word[j]}`)
      break
    }
  }
  return parsed
}
