import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa, type ResultPromise } from 'execa'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRunner, type Runner } from '../../runner/runner.ts'
import { launchChromium } from '../../support/chromium.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { fixture, root } from '../../support/fixture-site.ts'
import { loadCourse } from '../../toolchain/course/load-course.ts'

const devPort = 5190 + Math.floor(Math.random() * 50)
let lab: FixtureLab
let runner: Runner
let dev: ResultPromise
let stateDir: string
let browser: { context: BrowserContext; profile: string }

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'lab-dev-state-'))
  lab = new FixtureLab()
  await lab.up()
  runner = await createRunner({
    lab,
    course: loadCourse(fixture.stepsDir).course,
    stateDir,
    extraOrigins: [`http://127.0.0.1:${devPort}`],
  })
  dev = execa(
    process.execPath,
    [
      join(root, 'node_modules/vitepress/bin/vitepress.js'),
      'dev',
      '--port',
      String(devPort),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: root,
      env: {
        LAB_DOCS_DIR: fixture.docsDir,
        LAB_STEPS_DIR: fixture.stepsDir,
        LAB_OUT_DIR: join(root, 'test-results/fixture-dev'),
        LAB_RUNNER_URL: runner.url.replace(/\/$/, ''),
      },
      reject: false,
      all: true,
    },
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('vitepress dev did not start')), 60_000)
    dev.all!.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes(`${devPort}`)) return
      clearTimeout(timer)
      resolve()
    })
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.context.close()
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
  dev?.kill('SIGTERM')
  await dev
  await runner?.close()
  await lab?.down()
  rmSync(stateDir, { recursive: true, force: true })
})

it("works through the dev server: the token moves to the page origin's storage and the socket is proxied to the runner", async () => {
  const page = await browser.context.newPage()
  await page.goto(`http://127.0.0.1:${devPort}/setup?token=${runner.token}`)
  await expect.poll(() => page.url(), { timeout: 30_000 }).toBe(`http://127.0.0.1:${devPort}/setup`)
  await expect
    .poll(() => page.getByTestId('lab-status').innerText(), { timeout: 30_000 })
    .toContain('fixture lab: ready')
  const step = page.locator('[data-step="write-config"]')
  await step.getByRole('button', { name: 'Run' }).click()
  await expect.poll(() => step.getByTestId('step-state').innerText(), { timeout: 15_000 }).toBe('Passed')
})
