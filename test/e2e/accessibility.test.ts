/**
 * WCAG 2.1 AA (axe-core) on every page of the fixture course and of the real course, English and Chinese, light and
 * dark, each served by a runner on a fixture lab as a learner sees it: connected, terminal docked. The fixture course
 * is also checked with a failed step, failed checks, a hint, the solution open and the terminal in screen-reader mode.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRunner, type Runner } from '../../runner/runner.ts'
import { axeViolations, describeViolations } from '../../support/axe.ts'
import { launchChromium } from '../../support/chromium.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { buildFixtureSite, fixture, root, startFixtureRunner } from '../../support/fixture-site.ts'
import { sitePages } from '../../support/site-pages.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { courseSite, ensureSite } from '../../toolchain/site/ensure-site.ts'

type Theme = 'light' | 'dark'
const course = courseSite(root)
const labs: FixtureLab[] = []
const runners: Runner[] = []
const stateDirs: string[] = []
let browser: { context: BrowserContext; profile: string }
let page: Page

async function fixtureLab(): Promise<{ lab: FixtureLab; stateDir: string }> {
  const lab = new FixtureLab()
  await lab.up()
  labs.push(lab)
  const stateDir = mkdtempSync(join(tmpdir(), 'lab-a11y-state-'))
  stateDirs.push(stateDir)
  return { lab, stateDir }
}

beforeAll(async () => {
  await buildFixtureSite()
  await ensureSite(course, (line) => console.log(line))
  const forFixture = await fixtureLab()
  runners.push(await startFixtureRunner(forFixture.lab, forFixture.stateDir))
  const forCourse = await fixtureLab()
  runners.push(
    await createRunner({
      lab: forCourse.lab,
      course: loadCourse(stepsDir(root)).course,
      stateDir: forCourse.stateDir,
      siteDir: course.outDir,
    }),
  )
  browser = await launchChromium()
  page = await browser.context.newPage()
})

afterAll(async () => {
  await browser?.context.close()
  for (const runner of runners) await runner.close()
  for (const lab of labs) await lab.down()
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true })
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
})

/** Opens a page in a theme and waits until it is what a learner sees: theme applied, runner connected, terminal drawn. */
async function open(runner: Runner, path: string, theme: Theme): Promise<void> {
  await page.goto(`${runner.url}${path}`)
  await page.evaluate(`localStorage.setItem('vitepress-theme-appearance', '${theme}')`)
  await page.reload()
  await expect.poll(() => page.evaluate('document.documentElement.classList.contains("dark")')).toBe(theme === 'dark')
  if (await page.getByTestId('lab-status').count()) await page.locator('.lab-status--ready').waitFor()
  if (await page.locator('.lab-dock').count()) await page.locator('.lab-terminal .xterm-rows').waitFor()
}

/** Runs axe on every page in both themes; logs the count per page, returns one line per violating element. */
async function audit(runner: Runner, outDir: string): Promise<string[]> {
  await page.goto(`${runner.url}?token=${runner.token}`)
  await expect.poll(() => page.url()).toBe(runner.url)
  const problems: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    for (const path of sitePages(outDir)) {
      await open(runner, path, theme)
      const found = describeViolations(`/${path} (${theme})`, await axeViolations(page))
      console.log(`axe /${path} (${theme}): ${found.length}`)
      problems.push(...found)
    }
  }
  return problems
}

it('finds no WCAG 2.1 AA violation on any page of the fixture course', async () => {
  expect(await audit(runners[0], fixture.outDir)).toEqual([])
})

it('finds none with a failed step, failed checks, a hint, the solution and the terminal in screen-reader mode', async () => {
  const runner = runners[0]
  const problems: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    await open(runner, 'setup', theme)
    const listFiles = page.locator('[data-step="list-files"]')
    await listFiles.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => listFiles.getByTestId('step-state').innerText()).toBe('Failed')
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    await page.locator('[data-check="service-running"]').getByTestId('actual').waitFor()
    await page.locator('[data-check="service-running"]').getByRole('button', { name: 'Show a hint' }).click()
    await page.getByRole('button', { name: 'Show the solution' }).click()
    const screenReader = page.getByRole('button', { name: 'Screen reader mode' })
    if ((await screenReader.getAttribute('aria-pressed')) !== 'true') await screenReader.click()
    await page.locator('.lab-terminal .xterm-accessibility').waitFor({ state: 'attached' })
    problems.push(...describeViolations(`/setup after failures (${theme})`, await axeViolations(page)))
  }
  expect(problems).toEqual([])
})

it('finds no WCAG 2.1 AA violation on any page of the course', async () => {
  expect(await audit(runners[1], course.outDir)).toEqual([])
})
