import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, expect, it } from 'vitest'
import { fixture, root } from '../../support/fixture-site.ts'

const dir = mkdtempSync(join(tmpdir(), 'lab-bad-docs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('fails the site build on an unknown step id, naming the page, line and code', async () => {
  writeFileSync(join(dir, 'index.md'), '# Home\n')
  writeFileSync(join(dir, 'setup.md'), '---\nchapter: setup\n---\n# Setup\n\n::: lab-step write-confg\n:::\n')
  const result = await execa('npx', ['vitepress', 'build'], {
    cwd: root,
    reject: false,
    all: true,
    env: { LAB_DOCS_DIR: dir, LAB_STEPS_DIR: fixture.stepsDir, LAB_OUT_DIR: join(dir, '.out') },
  })
  expect(result.exitCode).not.toBe(0)
  expect(result.all).toMatch(
    /setup\.md:6:14 lab-step: unknown step "write-confg" in chapter "setup" \(steps: write-config, list-files\) \[DOCS_UNKNOWN_STEP\]/,
  )
})
