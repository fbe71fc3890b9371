import { expect, it } from 'vitest'
import { checkPage } from './check-docs.ts'
import { formatIssue } from './course-error.ts'
import { readCourse } from './load-course.ts'

const { course } = readCourse('support/fixture-course/steps')

it('accepts known steps and ignores containers inside code fences', () => {
  const page =
    '---\nchapter: setup\n---\n# Setup\n\n::: lab-step write-config\n:::\n\n```md\n::: lab-step not-a-step\n```\n\n::: lab-checks\n:::\n'
  expect(checkPage('docs/setup.md', page, course)).toEqual({ chapterId: 'setup', issues: [] })
})

it('reports an unknown step, an unknown chapter and a missing chapter with file and line', () => {
  const unknownStep = checkPage(
    'docs/setup.md',
    '---\nchapter: setup\n---\n\ntext\n::: lab-step wrte-config\n:::\n',
    course,
  ).issues
  expect(unknownStep.map(formatIssue)).toEqual([
    'docs/setup.md:6:14 lab-step: unknown step "wrte-config" in chapter "setup" (steps: write-config, list-files) [DOCS_UNKNOWN_STEP]',
  ])
  const unknownChapter = checkPage('docs/x.md', '---\ntitle: X\nchapter: set-up\n---\n', course).issues
  expect(unknownChapter.map(formatIssue)).toEqual([
    'docs/x.md:3:1 chapter: unknown chapter "set-up" (chapters: setup, routing) [DOCS_UNKNOWN_CHAPTER]',
  ])
  const noChapter = checkPage('docs/y.md', '# Y\n\n::: lab-checks\n:::\n::: lab-steps a\n:::\n', course).issues
  expect(noChapter.map((i) => `${i.line} ${i.code}`)).toEqual(['3 DOCS_NO_CHAPTER', '5 DOCS_BAD_CONTAINER'])
})

it('accepts the topology diagram on any page, and refuses an argument to it', () => {
  expect(checkPage('docs/z.md', '# Z\n\n::: lab-topology\n:::\n', course).issues).toEqual([])
  const withArgument = checkPage('docs/z.md', '# Z\n\n::: lab-topology leaf0\n:::\n', course).issues
  expect(withArgument.map(formatIssue)).toEqual([
    'docs/z.md:3:18 lab-topology: lab-topology takes no argument (it draws the whole lab), found "leaf0" [DOCS_BAD_CONTAINER]',
  ])
})
