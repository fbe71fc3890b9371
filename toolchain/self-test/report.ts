/**
 * Text reports of the course self-test: one table per run (chapter, fail-first, steps, times, result) and, over
 * repeated runs, the flake rate with the chapters that failed.
 */
import type { ChapterReport } from './self-test.ts'

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** One row per chapter walked, then the problems of the chapters that failed. */
export function formatRun(reports: ChapterReport[]): string {
  const rows = reports.map((r) => {
    const steps = r.steps.length === 0 ? '-' : `${r.steps.filter((s) => s.ok).length}/${r.steps.length}`
    const reruns = r.steps.reduce((n, s) => n + s.tries - 1, 0)
    const stepMs = r.steps.reduce((n, s) => n + s.ms, 0)
    const checkMs = (r.before?.ms ?? 0) + (r.after?.ms ?? 0)
    return [
      r.chapterId,
      r.section ?? '-',
      r.before ? (r.before.ok ? 'PASSED (bad)' : `failed (${r.before.failing.length})`) : '-',
      steps + (reruns > 0 ? ` (+${reruns} rerun${reruns > 1 ? 's' : ''})` : ''),
      r.steps.length ? seconds(stepMs) : '-',
      r.after ? (r.after.ok ? 'pass' : `FAIL (${r.after.failing.length})`) : '-',
      r.before || r.after ? seconds(checkMs) : '-',
      r.ok ? 'ok' : 'FAILED',
    ]
  })
  const header = ['chapter', 'section', 'checks first', 'steps', 'step time', 'checks after', 'check time', 'result']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  const problems = reports.filter((r) => !r.ok).flatMap((r) => r.problems.map((p) => `  ${r.chapterId}: ${p}`))
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(problems.length ? ['', 'problems:', ...problems] : []),
  ].join('\n')
}

/** Whether a run walked the whole course and every chapter passed. */
export function runPassed(reports: ChapterReport[], chapterCount: number): boolean {
  return reports.length === chapterCount && reports.every((r) => r.ok)
}

/** The flake rate over repeated runs, and how often each chapter failed. */
export function formatFlakes(runs: ChapterReport[][], chapterCount: number): string {
  const failed = runs.filter((r) => !runPassed(r, chapterCount)).length
  const byChapter = new Map<string, number>()
  for (const run of runs)
    for (const r of run) if (!r.ok) byChapter.set(r.chapterId, (byChapter.get(r.chapterId) ?? 0) + 1)
  const rate = runs.length ? ((100 * failed) / runs.length).toFixed(1) : '0.0'
  const detail = [...byChapter].map(([id, n]) => `  ${id}: failed in ${n} of ${runs.length} runs`)
  return [`flake rate: ${failed}/${runs.length} runs failed (${rate}%)`, ...detail].join('\n')
}
