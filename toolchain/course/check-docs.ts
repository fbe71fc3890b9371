/**
 * Checks the docs pages against the course: a page's `chapter:` front matter names a chapter, every
 * `::: lab-step <id>` names a step of that chapter, and `::: lab-topology` (the whole lab's) takes no argument. Used
 * by `npm run validate` and by the site build (which fails on the first page with an issue), so both report the same
 * file, line and code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { Course } from '../../protocol/course.ts'
import type { CourseIssue } from './course-error.ts'

/** `::: lab-step kind-create` / `::: lab-checks`, as the markdown extension reads them. */
export const CONTAINER = /^\s*:::\s*(lab-[a-z-]+)\s*(.*?)\s*$/

export interface PageFacts {
  chapterId: string | null
  issues: CourseIssue[]
}

export function checkPage(file: string, source: string, course: Course): PageFacts {
  const issues: CourseIssue[] = []
  const lines = source.split('\n')
  const add = (code: CourseIssue['code'], line: number, column: number, field: string, message: string) =>
    issues.push({ code, file, line, column, field, message })
  let chapterId: string | null = null
  let body = 0
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1)
    body = end + 1
    const data = parseYaml(lines.slice(1, end).join('\n')) as { chapter?: unknown } | null
    if (data?.chapter !== undefined) {
      chapterId = String(data.chapter)
      if (!course.chapters.some((c) => c.id === chapterId)) {
        const line = lines.findIndex((l) => /^chapter\s*:/.test(l)) + 1
        add(
          'DOCS_UNKNOWN_CHAPTER',
          line,
          1,
          'chapter',
          `unknown chapter "${chapterId}" (chapters: ${course.chapters.map((c) => c.id).join(', ')})`,
        )
      }
    }
  }
  const chapter = course.chapters.find((c) => c.id === chapterId)
  let fence: string | null = null
  for (let i = body; i < lines.length; i++) {
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(lines[i])?.[1]
    if (fenceMark && (fence === null || fenceMark.startsWith(fence))) {
      fence = fence === null ? fenceMark : null
      continue
    }
    const container = fence === null ? CONTAINER.exec(lines[i]) : null
    if (!container) continue
    const [, name, argument] = container
    const line = i + 1
    const column = lines[i].indexOf(name) + 1
    if (name !== 'lab-step' && name !== 'lab-checks' && name !== 'lab-topology') {
      add(
        'DOCS_BAD_CONTAINER',
        line,
        column,
        name,
        `unknown container "${name}" (lab-step <step-id>, lab-checks, lab-topology)`,
      )
    } else if (name === 'lab-topology') {
      if (argument)
        add(
          'DOCS_BAD_CONTAINER',
          line,
          column + name.length + 1,
          name,
          `lab-topology takes no argument (it draws the whole lab), found "${argument}"`,
        )
    } else if (!chapterId) {
      add(
        'DOCS_NO_CHAPTER',
        line,
        column,
        name,
        `${name} needs the page's front matter to name its chapter (chapter: <chapter-id>)`,
      )
    } else if (name === 'lab-step' && chapter && !chapter.steps.some((s) => s.id === argument)) {
      const known = chapter.steps.map((s) => s.id).join(', ') || 'none'
      add(
        'DOCS_UNKNOWN_STEP',
        line,
        column + name.length + 1,
        'lab-step',
        argument
          ? `unknown step "${argument}" in chapter "${chapterId}" (steps: ${known})`
          : 'lab-step needs a step id',
      )
    }
  }
  return { chapterId, issues }
}

/** Every markdown page under `docsDir` (paths relative to the working directory), checked. */
export function checkDocs(docsDir: string, course: Course): CourseIssue[] {
  const pages: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (name === 'node_modules' || name.startsWith('.')) continue
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.md')) pages.push(path)
    }
  }
  walk(docsDir)
  return pages.flatMap((page) => checkPage(relative(process.cwd(), page), readFileSync(page, 'utf8'), course).issues)
}
