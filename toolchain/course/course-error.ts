/**
 * Content mistakes in the course (steps files, docs pages), each pointing at a file, a line and a field.
 * Codes are stable and documented in docs/reference/error-codes.md.
 */

import { CodedError } from '../../protocol/coded-error.ts'

export type CourseIssueCode =
  | 'COURSE_NO_STEPS'
  | 'COURSE_YAML_SYNTAX'
  | 'COURSE_SCHEMA'
  | 'COURSE_DUPLICATE_ID'
  | 'COURSE_UNKNOWN_REQUIRE'
  | 'COURSE_REQUIRE_CYCLE'
  | 'COURSE_UNKNOWN_EACH'
  | 'COURSE_UNKNOWN_TEMPLATE'
  | 'COURSE_UNKNOWN_TERMINAL'
  | 'DOCS_UNKNOWN_CHAPTER'
  | 'DOCS_UNKNOWN_STEP'
  | 'DOCS_NO_CHAPTER'
  | 'DOCS_BAD_CONTAINER'

export interface CourseIssue {
  code: CourseIssueCode
  /** Path as given to the loader (relative to the working directory when possible). */
  file: string
  line: number
  column: number
  /** Field path inside the file, like `steps[2].expect[0].regex`; empty for the whole file. */
  field: string
  message: string
}

/** `steps/05-metallb.yaml:42:7 steps[2].expect[0].regex: invalid regex: ... [COURSE_SCHEMA]` */
export function formatIssue(issue: CourseIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`
  const field = issue.field ? ` ${issue.field}:` : ''
  return `${where}${field} ${issue.message} [${issue.code}]`
}

export class CourseError extends CodedError<'COURSE_INVALID'> {
  constructor(readonly issues: CourseIssue[]) {
    super('COURSE_INVALID', [`the course has ${issues.length} error(s):`, ...issues.map(formatIssue)].join('\n  '))
  }
}

/** `steps[2].expect[0].regex` from zod's or yaml's path segments. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += out ? `.${String(segment)}` : String(segment)
  }
  return out
}
