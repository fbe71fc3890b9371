/**
 * Reads the course: every `*.yaml` in the steps directory, parsed with line tracking, validated by the chapter
 * schema, then cross-checked (ids, requires, captures, templates). All mistakes are collected, not just the first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { type Document, LineCounter, parseDocument } from 'yaml'
import { type Chapter, type Course, chapterSchema } from '../../protocol/course.ts'
import { CourseError, type CourseIssue, formatFieldPath } from './course-error.ts'
import { crossCheck } from './cross-check.ts'
import { positionOf } from './yaml-position.ts'

/** One parsed chapter file, kept so later checks can point back at the source. */
export interface ChapterSource {
  file: string
  doc: Document
  lineCounter: LineCounter
  chapter: Chapter
}

export interface LoadedCourse {
  course: Course
  sources: ChapterSource[]
  issues: CourseIssue[]
}

/** The steps directory: `LAB_STEPS_DIR` or `steps/` under `root`. */
export function stepsDir(root = process.cwd()): string {
  return resolve(root, process.env.LAB_STEPS_DIR ?? 'steps')
}

/** Loads and checks without throwing; `issues` lists every problem found. Chapters are sorted by `order`. */
export function readCourse(dir: string): LoadedCourse {
  const display = (file: string) => relative(process.cwd(), file) || file
  if (!existsSync(dir)) {
    return {
      course: { chapters: [] },
      sources: [],
      issues: [issue('COURSE_NO_STEPS', display(dir), 'no steps directory here')],
    }
  }
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
  const sources: ChapterSource[] = []
  const issues: CourseIssue[] = []
  // Ids of every file that names one, valid or not, so one broken file does not also break every `requires` on it.
  const declared = new Set<string>()
  if (files.length === 0)
    issues.push(issue('COURSE_NO_STEPS', display(dir), 'no chapter files (*.yaml) in the steps directory'))
  for (const name of files) {
    const file = display(join(dir, name))
    const lineCounter = new LineCounter()
    const doc = parseDocument(readFileSync(join(dir, name), 'utf8'), { lineCounter, prettyErrors: false })
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const { line, col } = lineCounter.linePos(error.pos[0])
        issues.push({
          code: 'COURSE_YAML_SYNTAX',
          file,
          line,
          column: col,
          field: '',
          message: error.message.split('\n')[0],
        })
      }
      continue
    }
    const raw = doc.toJS() as { id?: unknown } | null
    if (typeof raw?.id === 'string') declared.add(raw.id)
    const parsed = chapterSchema.safeParse(raw)
    if (!parsed.success) {
      for (const zodIssue of parsed.error.issues) {
        const unknownKey = zodIssue.code === 'unrecognized_keys' ? zodIssue.keys[0] : undefined
        const { line, column } = positionOf(doc, lineCounter, zodIssue.path, unknownKey)
        const field = formatFieldPath(unknownKey ? [...zodIssue.path, unknownKey] : zodIssue.path)
        issues.push({ code: 'COURSE_SCHEMA', file, line, column, field, message: zodIssue.message })
      }
      continue
    }
    sources.push({ file, doc, lineCounter, chapter: parsed.data })
  }
  issues.push(...crossCheck(sources, declared))
  const chapters = sources.map((s) => s.chapter).sort((a, b) => a.order - b.order)
  return { course: { chapters }, sources, issues }
}

/** Loads the course or throws a {@link CourseError} listing every issue. */
export function loadCourse(dir: string): LoadedCourse {
  const loaded = readCourse(dir)
  if (loaded.issues.length > 0) throw new CourseError(loaded.issues)
  return loaded
}

function issue(code: CourseIssue['code'], file: string, message: string): CourseIssue {
  return { code, file, line: 1, column: 1, field: '', message }
}
