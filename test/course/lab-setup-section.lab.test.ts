/**
 * A learner walks the first gated section of the real course in Chromium, on a fresh twin lab, by clicking Run and
 * Check only: the welcome chapter's checks open the lab setup chapter, every step of it passes from the docked
 * terminal, its checks pass against the live lab, and the Cilium BGP chapter unlocks.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Chapter } from '../../protocol/course.ts'
import { type CourseSession, screenshots, startCourseSession } from '../../support/course-session.ts'

let session: CourseSession | undefined
let page: Page
let setup: Chapter

beforeAll(async () => {
  session = await startCourseSession()
  page = session.page
  setup = session.course.chapters.find((c) => c.section === 'lab-setup')!
})

afterAll(() => session?.dispose())

const step = (id: string) => page.locator(`[data-step="${id}"]`)
const checkButton = () => page.getByRole('button', { name: 'Check', exact: true })
const allPassed = () => page.getByRole('status').filter({ hasText: 'All checks passed' })

it('opens the Cilium BGP section after the lab setup chapter is walked with Run and Check', async () => {
  await page.goto(`${session!.runner.url}welcome?token=${session!.runner.token}`)
  await expect.poll(() => page.getByTestId('lab-status').innerText()).toContain('ready')
  await checkButton().click()
  await expect.poll(() => allPassed().count(), { timeout: 30_000 }).toBe(1)

  await page.goto(`${session!.runner.url}${setup.id}`)
  expect(await page.getByTestId('lab-gate').count()).toBe(0)
  for (const { id, timeoutMs } of setup.steps) {
    await step(id).getByRole('button', { name: 'Run' }).click()
    await expect
      .poll(() => step(id).getByTestId('step-state').innerText(), { timeout: (timeoutMs ?? 60_000) + 10_000 })
      .toMatch(/Passed|Failed/)
    expect(await step(id).getByTestId('step-state').innerText(), `step ${id}: ${await step(id).innerText()}`).toBe(
      'Passed',
    )
  }
  await page.screenshot({ path: join(screenshots, 'course-lab-setup-steps.png'), fullPage: true })

  await checkButton().click()
  await expect.poll(() => allPassed().count(), { timeout: 180_000 }).toBe(1)
  for (const check of setup.checks) {
    expect(await page.locator(`[data-check="${check.id}"]`).getAttribute('class'), check.id).toContain('is-ok')
  }

  const next = session!.course.chapters.find((c) => c.section === 'cilium-bgp')!
  await page.goto(`${session!.runner.url}${next.id}`)
  await page.locator(`[data-step="${next.steps[0].id}"]`).waitFor()
  expect(await page.getByTestId('lab-gate').count()).toBe(0)
  expect(
    await page.locator(`[data-step="${next.steps[0].id}"]`).getByRole('button', { name: 'Run' }).isDisabled(),
  ).toBe(false)
  await page.screenshot({ path: join(screenshots, 'course-cilium-bgp-open.png') })
})

it('opens a diagram full size in a new tab and leaves the chapter where it was', async () => {
  await page.goto(`${session!.runner.url}${setup.id}`)
  const diagram = page.locator('.vp-doc a[href="/diagrams/topology.svg"]')
  const [opened] = await Promise.all([page.context().waitForEvent('page'), diagram.click()])
  await opened.waitForLoadState()
  expect(new URL(opened.url()).pathname).toBe('/diagrams/topology.svg')
  expect(await opened.evaluate('document.documentElement.tagName')).toBe('svg')
  expect(new URL(page.url()).pathname).toBe(`/${setup.id}`)
  await opened.close()
})
