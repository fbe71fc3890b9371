import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterEach, expect, it } from 'vitest'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('lists every error of a broken course with file, line, field and code, and exits 1', async () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-validate-'))
  mkdirSync(join(dir, 'steps'))
  mkdirSync(join(dir, 'docs'))
  writeFileSync(
    join(dir, 'steps', '01-a.yaml'),
    'id: a\norder: 1\ntitle: { en: A, zh: A }\nsteps:\n  - id: s\n    title: { en: S, zh: S }\n    run: ls\n',
  )
  writeFileSync(
    join(dir, 'steps', '03-c.yaml'),
    'id: c\norder: 3\ntitle: { en: C, zh: C }\nsteps:\n  - id: s\n    title: { en: S, zh: S }\n    run: ls\n    expect:\n      - regex: "(unclosed"\n',
  )
  writeFileSync(join(dir, 'steps', '02-b.yaml'), 'id: b\norder: 2\ntitle: { en: B, zh: B\n')
  writeFileSync(join(dir, 'docs', 'a.md'), '---\nchapter: a\n---\n::: lab-step nope\n:::\n')
  const result = await execa('npx', ['tsx', 'scripts/validate.ts'], {
    reject: false,
    env: { LAB_STEPS_DIR: join(dir, 'steps'), LAB_DOCS_DIR: join(dir, 'docs') },
  })
  expect(result.exitCode).toBe(1)
  const lines = result.stderr.split('\n')
  expect(lines[0]).toBe('The course has 3 error(s):')
  expect(lines[1]).toMatch(/02-b\.yaml:\d+:\d+ .* \[COURSE_YAML_SYNTAX\]$/)
  expect(lines[2]).toMatch(/03-c\.yaml:9:16 steps\[0\]\.expect\[0\]\.regex: invalid regex: .* \[COURSE_SCHEMA\]$/)
  expect(lines[3]).toMatch(
    /a\.md:4:14 lab-step: unknown step "nope" in chapter "a" \(steps: s\) \[DOCS_UNKNOWN_STEP\]$/,
  )
})
