/**
 * `npm run validate`: checks the whole course: every steps file (syntax, schema, ids, requires, captures,
 * templates) and every docs page's chapter and step references. Lists all errors with file:line:column, field and
 * code; exits 1 when there is any. `--write-schema` also regenerates protocol/chapter.schema.json for editors.
 */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CHAPTER_JSON_SCHEMA_FILE, chapterJsonSchemaText } from '../toolchain/course/chapter-json-schema.ts'
import { checkDocs } from '../toolchain/course/check-docs.ts'
import { formatIssue } from '../toolchain/course/course-error.ts'
import { readCourse, stepsDir } from '../toolchain/course/load-course.ts'

const root = resolve(import.meta.dirname, '..')
if (process.argv.includes('--write-schema')) {
  writeFileSync(join(root, CHAPTER_JSON_SCHEMA_FILE), chapterJsonSchemaText())
  console.log(`Wrote ${CHAPTER_JSON_SCHEMA_FILE}.`)
}
const docsDir = resolve(root, process.env.LAB_DOCS_DIR ?? 'docs')
const { course, issues } = readCourse(stepsDir(root))
issues.push(...checkDocs(docsDir, course))

if (issues.length > 0) {
  console.error(`The course has ${issues.length} error(s):`)
  for (const issue of issues) console.error(`  ${formatIssue(issue)}`)
  process.exit(1)
}
const steps = course.chapters.reduce((n, c) => n + c.steps.length, 0)
const checks = course.chapters.reduce((n, c) => n + c.checks.length, 0)
console.log(
  `The course is valid: ${course.chapters.length} chapters, ${steps} steps, ${checks} checks; every page reference resolves.`,
)
