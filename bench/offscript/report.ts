/** bench/results/offscript.md from a sweep: counts per class, per stop and per tool, then every defect with its output. */
import { DEFECTS, type OutcomeClass } from './classify.ts'
import { stopOf } from './commands.ts'
import { STOPS, type StopState, stopOrder } from './stops.ts'
import type { SweepResult } from './sweep.ts'

const CLASSES: OutcomeClass[] = [
  'answered',
  'tool error',
  'honest limit',
  'unknown command',
  'wrong answer',
  'internal error',
]
const FIRST_LINES = 8

const CLASS_MEANINGS = [
  "Classes: answered (exit 0 with output), tool error (exit != 0, in the real tool's words; unknown where the real lab",
  "says so too), honest limit (the twin's \"'<what>' is not available in the twin lab\"), and three defects: unknown",
  'command (a real command, flag, type or binary called unknown), wrong answer (not what the real tool answers, where',
  'commands.yaml knows it: `expect`), internal error (a stack, a JavaScript error, an unformatted value, a tool failure',
  "in the daemon's log, a timeout, or an empty answer where the real tool prints one).",
]

/** A result is a finding when its class is a defect, the lab was not usable after it, or its restore failed. */
export const isFinding = (r: SweepResult) =>
  DEFECTS.includes(r.outcome.class) || !r.after.usable || r.restoreFailures.length > 0

const firstLines = (text: string) => text.trimEnd().split('\n').slice(0, FIRST_LINES).join('\n')

/** What the probe holds a stop's lab to, in a few words. */
const stateWords = (state: StopState) =>
  [
    `${state.ready}/4 nodes Ready`,
    `${state.established}/4 leaf0 sessions`,
    ...(state.routes ? [`${state.routes.what} on leaf0`] : []),
  ].join(', ')

export function offscriptReport(results: SweepResult[], header: string[]): string {
  const tools = [...new Set(results.map((r) => r.command.tool))]
  const stops = [...new Set(results.map((r) => stopOf(r.command)))].sort((a, b) => stopOrder(a) - stopOrder(b))
  const count = (of: SweepResult[], c: OutcomeClass) => of.filter((r) => r.outcome.class === c).length
  const counts = (of: SweepResult[]) =>
    `${of.length} | ${CLASSES.map((c) => count(of, c)).join(' | ')} | ${of.filter((r) => !r.after.usable).length} |`
  const row = (name: string, of: SweepResult[]) => `| ${name} | ${counts(of)}`
  const lines = [
    '# Off-script sweep',
    '',
    ...header,
    ...CLASS_MEANINGS,
    '',
    `| stop | the lab as the stop leaves it (probed after each command) | commands | ${CLASSES.join(' | ')} | lab not as left after |`,
    `|---|---|---:|${CLASSES.map(() => '---:').join('|')}|---:|`,
    ...stops.map(
      (stop) => `| ${stop} | ${stateWords(STOPS[stop])} | ${counts(results.filter((r) => stopOf(r.command) === stop))}`,
    ),
    `| **all** | | ${counts(results)}`,
    '',
    `| tool | commands | ${CLASSES.join(' | ')} | lab not as left after |`,
    `|---|---:|${CLASSES.map(() => '---:').join('|')}|---:|`,
    ...tools.map((tool) =>
      row(
        tool,
        results.filter((r) => r.command.tool === tool),
      ),
    ),
    row('**all**', results),
    '',
    '## Findings',
    '',
  ]
  const findings = results.filter(isFinding)
  if (findings.length === 0)
    lines.push(
      'None: no internal error, no wrong answer, no real command called unknown, the lab as its stop left it after every command.',
      '',
    )
  for (const r of findings) {
    lines.push(
      `### \`${r.command.command}\``,
      '',
      `At ${stopOf(r.command)}: ${r.command.want} (${r.command.tool}). **${r.outcome.class}**: ${r.outcome.why}; exit ${r.answer.exitCode}, ${r.ms} ms.`,
    )
    if (!r.after.usable) lines.push(`Lab not as the stop left it 60 s after it: ${r.after.missing.join('; ')}.`)
    for (const failure of r.restoreFailures) lines.push(`Restore failed: ${firstLines(failure)}`)
    const output = firstLines(`${r.answer.stdout}${r.answer.stderr}`)
    lines.push('', '```', output || '(no output)', '```')
    if (r.answer.daemonLog.length)
      lines.push('', 'Daemon log:', '', '```', firstLines(r.answer.daemonLog.join('\n')), '```')
    lines.push('')
  }
  const cell = (text: string) => text.replaceAll('|', '\\|')
  lines.push(
    '## Every command',
    '',
    '| # | stop | tool | class | exit | ms | command | first line of the answer |',
    '|---:|---|---|---|---:|---:|---|---|',
  )
  results.forEach((r, i) => {
    const first = `${r.answer.stdout}${r.answer.stderr}`.trim().split('\n')[0].slice(0, 100)
    lines.push(
      `| ${i + 1} | ${stopOf(r.command)} | ${r.command.tool} | ${r.outcome.class}${r.after.usable ? '' : ' (lab not as left)'} | ${r.answer.exitCode} | ${r.ms} | \`${cell(r.command.command)}\` | ${first ? `\`${cell(first)}\`` : ''} |`,
    )
  })
  return `${lines.join('\n')}\n`
}
