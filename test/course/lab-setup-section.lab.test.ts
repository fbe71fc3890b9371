/**
 * A learner walks the first gated section of the real course in Chromium, on a fresh twin lab, by clicking Run and
 * Check only: the welcome chapter's checks open the lab setup chapter, every step of it passes from the docked
 * terminal, its checks pass against the live lab, and the Cilium BGP chapter unlocks.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LabBackend } from '../../lab/backend.ts'
import { createLab } from '../../lab/index.ts'
import { loadCourse } from '../../runner/course/load-course.ts'
import { createRunner, type Runner } from '../../runner/runner.ts'
import { ensureSite } from '../../runner/site/ensure-site.ts'
import { launchChromium, root } from '../e2e/support/fixture-site.ts'

const site = { root, docsDir: join(root, 'docs'), stepsDir: join(root, 'steps'), outDir: join(root, 'test-results/course-site') }
const shots = join(root, 'test-results/screenshots')
const { course } = loadCourse(site.stepsDir)
const setup = course.chapters.find((c) => c.section === 'lab-setup')!

let lab: LabBackend
let runner: Runner | undefined
let stateDir: string
let browser: { context: BrowserContext; profile: string } | undefined
let page: Page

beforeAll(async () => {
  await ensureSite(site, (line) => console.log(line))
  mkdirSync(shots, { recursive: true })
  stateDir = mkdtempSync(join(tmpdir(), 'course-e2e-state-'))
  lab = await createLab('twin')
  await lab.up()
  runner = await createRunner({ lab, course, stateDir, siteDir: site.outDir })
  browser = await launchChromium()
  page = await browser.context.newPage()
})

afterAll(async () => {
  await browser?.context.close()
  await runner?.close()
  await lab?.down()
  rmSync(stateDir, { recursive: true, force: true })
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
})

const step = (id: string) => page.locator(`[data-step="${id}"]`)
const checkButton = () => page.getByRole('button', { name: 'Check', exact: true })
const allPassed = () => page.getByRole('status').filter({ hasText: 'All checks passed' })

it('opens the Cilium BGP section after the lab setup chapter is walked with Run and Check', async () => {
  await page.goto(`${runner!.url}welcome?token=${runner!.token}`)
  await expect.poll(() => page.getByTestId('lab-status').innerText()).toContain('ready')
  await checkButton().click()
  await expect.poll(() => allPassed().count(), { timeout: 30_000 }).toBe(1)

  await page.goto(`${runner!.url}${setup.id}`)
  expect(await page.getByTestId('lab-gate').count()).toBe(0)
  for (const { id, timeoutMs } of setup.steps) {
    await step(id).getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => step(id).getByTestId('step-state').innerText(), { timeout: (timeoutMs ?? 60_000) + 10_000 }).toMatch(/Passed|Failed/)
    expect(await step(id).getByTestId('step-state').innerText(), `step ${id}: ${await step(id).innerText()}`).toBe('Passed')
  }
  await page.screenshot({ path: join(shots, 'course-lab-setup-steps.png'), fullPage: true })

  await checkButton().click()
  await expect.poll(() => allPassed().count(), { timeout: 180_000 }).toBe(1)
  for (const check of setup.checks) {
    expect(await page.locator(`[data-check="${check.id}"]`).getAttribute('class'), check.id).toContain('is-ok')
  }

  const next = course.chapters.find((c) => c.section === 'cilium-bgp')!
  await page.goto(`${runner!.url}${next.id}`)
  await page.locator(`[data-step="${next.steps[0].id}"]`).waitFor()
  expect(await page.getByTestId('lab-gate').count()).toBe(0)
  expect(await page.locator(`[data-step="${next.steps[0].id}"]`).getByRole('button', { name: 'Run' }).isDisabled()).toBe(false)
  await page.screenshot({ path: join(shots, 'course-cilium-bgp-open.png') })
})
