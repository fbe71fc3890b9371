import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { formatIssue } from './course-error.ts'
import { loadCourse, readCourse } from './load-course.ts'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))

function course(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-course-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const title = '{ en: T, zh: T }'

describe('readCourse', () => {
  it('loads the fixture course in order', () => {
    const { course: loaded, issues } = readCourse('support/fixture-course/steps')
    expect(issues).toEqual([])
    expect(loaded.chapters.map((c) => c.id)).toEqual(['setup', 'routing'])
  })

  it('points an invalid regex at its file, line, column and field', () => {
    const dir = course({
      '05-metallb.yaml': `id: metallb\norder: 5\ntitle: ${title}\nsteps:\n  - id: a\n    title: ${title}\n    run: ls\n    expect:\n      - regex: "([a-z"\n`,
    })
    const [issue] = readCourse(dir).issues
    expect(issue).toMatchObject({ code: 'COURSE_SCHEMA', line: 9, column: 16, field: 'steps[0].expect[0].regex' })
    expect(formatIssue(issue)).toBe(
      `${relative(process.cwd(), join(dir, '05-metallb.yaml'))}:9:16 steps[0].expect[0].regex: invalid regex: Invalid regular expression: /([a-z/: Unterminated character class [COURSE_SCHEMA]`,
    )
  })

  it('reports malformed YAML and unknown keys with their lines', () => {
    const dir = course({
      'a.yaml': `id: a\norder: 1\ntitle: ${title}\nsteps: [\n`,
      'b.yaml': `id: b\norder: 2\ntitle: ${title}\nchecks:\n  - id: c\n    title: ${title}\n    probe: { run: ls }\n    expect: [{ contains: x }]\n    fail: ${title}\n    timeout: 5\n`,
    })
    const issues = readCourse(dir).issues
    expect(issues.map((i) => [i.code, i.file.endsWith('a.yaml') ? 'a' : 'b'])).toEqual([
      ['COURSE_YAML_SYNTAX', 'a'],
      ['COURSE_SCHEMA', 'b'],
    ])
    expect(issues[1]).toMatchObject({ line: 10, column: 5, field: 'checks[0].timeout' })
  })

  it('cross-checks ids, requires, each and templates', () => {
    const check = (extra: string) =>
      `  - id: c\n    title: ${title}\n${extra}    expect: [{ contains: "{{item}}" }]\n    fail: ${title}\n`
    const dir = course({
      'a.yaml': `id: a\norder: 1\ntitle: ${title}\nrequires: [nope]\nsteps:\n  - { id: s, title: ${title}, run: ls }\n  - { id: s, title: ${title}, run: ls, terminal: side }\n`,
      'b.yaml': `id: a\norder: 2\ntitle: ${title}\nchecks:\n${check('    let:\n      nodes: { probe: { run: ls } }\n    each: node\n    probe: { run: "cat {{nodes}} {{typo}}" }\n')}`,
    })
    const issues = readCourse(dir).issues.map((i) => `${i.file.slice(-6)}:${i.line} ${i.code} ${i.field}`)
    expect(issues).toEqual([
      'b.yaml:1 COURSE_DUPLICATE_ID id',
      'a.yaml:4 COURSE_UNKNOWN_REQUIRE requires[0]',
      'a.yaml:7 COURSE_DUPLICATE_ID steps[1].id',
      'a.yaml:7 COURSE_UNKNOWN_TERMINAL steps[1].terminal',
      'b.yaml:9 COURSE_UNKNOWN_EACH checks[0].each',
      'b.yaml:10 COURSE_UNKNOWN_TEMPLATE checks[0].probe.run',
    ])
  })

  it('loadCourse throws every issue at once', () => {
    const dir = course({ 'a.yaml': 'id: A\n', 'b.yaml': 'order: x\n' })
    expect(() => loadCourse(dir)).toThrow(/the course has \d+ error\(s\)/)
  })
})
