import { FlagError } from './args.ts'

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

/**
 * Go's time.ParseDuration (Go 1.17, kubectl 1.23's), in milliseconds, or the error Go gives, word for word: `invalid
 * duration` for what does not start as a number, `missing unit` and `unknown unit "x"` after one.
 */
export function parseGoDuration(text: string): number | { error: string } {
  const quoted = JSON.stringify(text)
  const invalid = { error: `time: invalid duration ${quoted}` }
  if (text === '0') return 0
  let rest = text.replace(/^[-+]/, '')
  if (rest === '') return invalid
  let total = 0
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!
    if (number[0] === '' || (number[1] === '' && !number[2])) return invalid
    rest = rest.slice(number[0].length)
    const unit = /^[^.\d]*/.exec(rest)![0]
    rest = rest.slice(unit.length)
    if (unit === '') return { error: `time: missing unit in duration ${quoted}` }
    if (!(unit in UNITS)) return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}` }
    total += Number(number[0]) * UNITS[unit]
  }
  return text.startsWith('-') ? -total : total
}

/** A duration flag's value as pflag's DurationVar reads it; its error as kubectl prints a flag's (`--since`). */
export function durationFlag(flag: string, text: string): number {
  const parsed = parseGoDuration(text)
  if (typeof parsed === 'number') return parsed
  throw new FlagError(`invalid argument ${JSON.stringify(text)} for "--${flag}" flag: ${parsed.error}`)
}
