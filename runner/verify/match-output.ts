/**
 * Runs the course's matchers on a command's output (already ANSI-stripped) and says, for each, what was expected
 * and what was seen, so a failure can be shown as expected vs actual.
 */
import { parse as parseYaml } from 'yaml'
import { fillTemplate } from '../../protocol/check-template.ts'
import type { Locale, Matcher } from '../../protocol/course.ts'
import type { MatchOutcome } from '../../protocol/messages.ts'
import { queryJsonPath } from './json-path.ts'
import { matchTable } from './match-table.ts'

const TAIL_LINES = 12

export function matchOutput(
  output: string,
  matcher: Matcher,
  values: Record<string, string> = {},
  locale: Locale = 'en',
): MatchOutcome {
  const fill = (text: string) => fillTemplate(text, values)
  const raw = evaluate(output, matcher, fill)
  const ok = matcher.not ? !raw.ok : raw.ok
  const expected = matcher.not ? `not ${raw.expected}` : raw.expected
  const why = matcher.why ? ` (${matcher.why[locale]})` : ''
  return { ok, expected: expected + why, actual: raw.actual }
}

export function matchAll(
  output: string,
  matchers: Matcher[],
  values: Record<string, string> = {},
  locale: Locale = 'en',
): MatchOutcome[] {
  return matchers.map((m) => matchOutput(output, m, values, locale))
}

function evaluate(output: string, m: Matcher, fill: (text: string) => string): MatchOutcome {
  if (m.contains !== undefined) {
    const needle = fill(m.contains)
    return { ok: output.includes(needle), expected: `output contains ${JSON.stringify(needle)}`, actual: tail(output) }
  }
  if (m.regex !== undefined) {
    const source = fill(m.regex)
    return {
      ok: new RegExp(source, m.flags).test(output),
      expected: `output matches /${source}/${m.flags ?? ''}`,
      actual: tail(output),
    }
  }
  if (m.jsonPath !== undefined) return evaluateJson(output, m, fill)
  if (m.table !== undefined) {
    const columns = Object.fromEntries(Object.entries(m.table.columns).map(([k, v]) => [k, fill(v)]))
    const found = matchTable(output, { columns, header: m.table.header })
    const expected = `a row with ${Object.entries(columns)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`
    const actual =
      found.error ??
      (found.rows.length
        ? found.rows
            .slice(0, 10)
            .map((r) =>
              Object.entries(r)
                .map(([k, v]) => `${k}=${v}`)
                .join(', '),
            )
            .join('\n')
        : 'no rows')
    return { ok: found.ok, expected, actual }
  }
  const count = m.count!
  const lines = output.split('\n')
  const matching =
    count.regex !== undefined
      ? lines.filter((line) => new RegExp(fill(count.regex!), count.flags).test(line))
      : lines.filter((line) => line.includes(fill(count.contains!)))
  const n = matching.length
  const bounds = [
    count.equals !== undefined ? `exactly ${count.equals}` : '',
    count.min !== undefined ? `at least ${count.min}` : '',
    count.max !== undefined ? `at most ${count.max}` : '',
  ]
  const what = count.regex !== undefined ? `/${fill(count.regex)}/` : JSON.stringify(fill(count.contains!))
  const ok =
    (count.equals === undefined || n === count.equals) &&
    (count.min === undefined || n >= count.min) &&
    (count.max === undefined || n <= count.max)
  return {
    ok,
    expected: `${bounds.filter(Boolean).join(' and ') || 'any number of'} lines matching ${what}`,
    actual: `${n} matching line(s)${n ? `:\n${matching.slice(0, 10).join('\n')}` : ''}`,
  }
}

function evaluateJson(output: string, m: Matcher, fill: (text: string) => string): MatchOutcome {
  const path = fill(m.jsonPath!)
  let data: unknown
  try {
    data = JSON.parse(output)
  } catch {
    try {
      data = parseYaml(output)
    } catch {
      return { ok: false, expected: `JSON at ${path}`, actual: `output is neither JSON nor YAML: ${tail(output, 3)}` }
    }
  }
  const values = queryJsonPath(data, path)
  const shown =
    values.length === 0 ? `${path} does not resolve` : `${path} = ${values.map((v) => JSON.stringify(v)).join(', ')}`
  if (m.exists !== undefined) {
    return {
      ok: values.length > 0 === m.exists,
      expected: `${path} ${m.exists ? 'exists' : 'does not exist'}`,
      actual: shown,
    }
  }
  if (m.equals !== undefined) {
    const want = typeof m.equals === 'string' ? fill(m.equals) : m.equals
    const ok = values.some(
      (v) => v === want || (typeof want === 'string' && typeof v !== 'object' && String(v) === want),
    )
    return { ok, expected: `${path} = ${JSON.stringify(want)}`, actual: shown }
  }
  const pattern = new RegExp(fill(m.matches!), m.flags)
  return {
    ok: values.some((v) => pattern.test(typeof v === 'string' ? v : JSON.stringify(v))),
    expected: `${path} matches /${pattern.source}/`,
    actual: shown,
  }
}

function tail(output: string, lines = TAIL_LINES): string {
  const all = output.trimEnd().split('\n')
  const shown = all.slice(-lines).join('\n')
  return all.length > lines ? `...\n${shown}` : shown || '(no output)'
}
