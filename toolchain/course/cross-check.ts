/**
 * Checks the schema cannot express alone: ids unique (chapters in the course, steps and checks in a chapter),
 * `requires` naming existing chapters without cycles, steps on declared terminals, `each` naming a `let` capture,
 * and `{{templates}}` naming a capture in scope.
 */

import { templateNames } from '../../protocol/check-template.ts'
import type { Check } from '../../protocol/course.ts'
import { type CourseIssue, formatFieldPath } from './course-error.ts'
import type { ChapterSource } from './load-course.ts'
import { positionOf } from './yaml-position.ts'

/** @param declared chapter ids named by any file, including files that failed validation. */
export function crossCheck(sources: ChapterSource[], declared: Set<string>): CourseIssue[] {
  const issues: CourseIssue[] = []
  const at = (source: ChapterSource, path: PropertyKey[], code: CourseIssue['code'], message: string) => {
    const { line, column } = positionOf(source.doc, source.lineCounter, path)
    issues.push({ code, file: source.file, line, column, field: formatFieldPath(path), message })
  }

  const chapterFile = new Map<string, string>()
  for (const source of sources) {
    const { chapter } = source
    const first = chapterFile.get(chapter.id)
    if (first) at(source, ['id'], 'COURSE_DUPLICATE_ID', `chapter id "${chapter.id}" is already used by ${first}`)
    else chapterFile.set(chapter.id, source.file)
  }

  for (const source of sources) {
    const { chapter } = source
    chapter.requires.forEach((required, i) => {
      if (!chapterFile.has(required) && !declared.has(required))
        at(source, ['requires', i], 'COURSE_UNKNOWN_REQUIRE', `requires "${required}", which no chapter file declares`)
    })
    const terminals = new Set(chapter.terminals.map((t) => t.id))
    duplicates(chapter.terminals.map((t) => t.id)).forEach((i) =>
      at(
        source,
        ['terminals', i, 'id'],
        'COURSE_DUPLICATE_ID',
        `terminal id "${chapter.terminals[i].id}" is used twice`,
      ),
    )
    duplicates(chapter.steps.map((s) => s.id)).forEach((i) =>
      at(
        source,
        ['steps', i, 'id'],
        'COURSE_DUPLICATE_ID',
        `step id "${chapter.steps[i].id}" is used twice in this chapter`,
      ),
    )
    duplicates(chapter.checks.map((c) => c.id)).forEach((i) =>
      at(
        source,
        ['checks', i, 'id'],
        'COURSE_DUPLICATE_ID',
        `check id "${chapter.checks[i].id}" is used twice in this chapter`,
      ),
    )
    chapter.steps.forEach((step, i) => {
      const terminal = step.terminal ?? 'main'
      if (!terminals.has(terminal))
        at(
          source,
          ['steps', i, 'terminal'],
          'COURSE_UNKNOWN_TERMINAL',
          `terminal "${terminal}" is not in this chapter's terminals (${[...terminals].join(', ')})`,
        )
    })
    chapter.checks.forEach((check, i) =>
      checkScopes(check, ['checks', i], (path, code, message) => at(source, path, code, message)),
    )
  }

  for (const cycle of requireCycles(sources)) {
    at(cycle.source, ['requires'], 'COURSE_REQUIRE_CYCLE', `requires form a cycle: ${cycle.path.join(' -> ')}`)
  }
  return issues
}

type Report = (path: PropertyKey[], code: CourseIssue['code'], message: string) => void

/** Captures are filled in declaration order, so a capture may use the ones before it; the probe sees them all. */
function checkScopes(check: Check, base: PropertyKey[], report: Report): void {
  const known: string[] = []
  const templatesIn = (value: unknown, path: PropertyKey[], scope: string[]) => {
    if (typeof value === 'string') {
      for (const name of templateNames(value)) {
        if (!scope.includes(name))
          report(
            path,
            'COURSE_UNKNOWN_TEMPLATE',
            `template {{${name}}} names no capture in scope (${scope.join(', ') || 'none'})`,
          )
      }
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value))
        templatesIn(inner, [...path, Array.isArray(value) ? Number(key) : key], scope)
    }
  }
  for (const [name, capture] of Object.entries(check.let ?? {})) {
    templatesIn(capture.probe, [...base, 'let', name, 'probe'], [...known])
    known.push(name)
  }
  if (check.each !== undefined && !known.includes(check.each)) {
    report(
      [...base, 'each'],
      'COURSE_UNKNOWN_EACH',
      `each names "${check.each}", which is not a let capture (${known.join(', ') || 'none'})`,
    )
  }
  const scope = check.each !== undefined ? [...known, 'item'] : known
  templatesIn(check.probe, [...base, 'probe'], scope)
  templatesIn(check.expect, [...base, 'expect'], scope)
}

function duplicates(ids: string[]): number[] {
  return ids.flatMap((id, i) => (ids.indexOf(id) !== i ? [i] : []))
}

function requireCycles(sources: ChapterSource[]): { source: ChapterSource; path: string[] }[] {
  const byId = new Map(sources.map((s) => [s.chapter.id, s]))
  const found: { source: ChapterSource; path: string[] }[] = []
  const reported = new Set<string>()
  const visit = (id: string, path: string[]) => {
    if (path.includes(id)) {
      const cycle = [...path.slice(path.indexOf(id)), id]
      const key = [...cycle].sort().join()
      if (!reported.has(key)) {
        reported.add(key)
        found.push({ source: byId.get(id)!, path: cycle })
      }
      return
    }
    for (const next of byId.get(id)?.chapter.requires ?? []) visit(next, [...path, id])
  }
  for (const id of byId.keys()) visit(id, [])
  return found
}
