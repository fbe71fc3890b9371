/**
 * The dashboard's presenter terminal with the keyboard: reached by Tab, named for a screen reader, Tab inside it
 * goes to the shell (completion), and Alt+Shift+T leaves it for what follows on the page. The dashboard, served by a
 * hub from the course site, has no WCAG 2.1 AA violation with the presenter terminal open, light and dark.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { hubChapters } from '../../instructor/hub/course-outline.ts'
import { createHub, type Hub } from '../../instructor/hub/create-hub.ts'
import { createPresenterTerminal } from '../../instructor/presenter-terminal.ts'
import { axeViolations, describeViolations } from '../../support/axe.ts'
import { launchChromium } from '../../support/chromium.ts'
import { root } from '../../support/fixture-site.ts'
import { fixtureCourse } from '../../support/fixture-workshop.ts'
import { courseSite, ensureSite } from '../../toolchain/site/ensure-site.ts'

const tmp = mkdtempSync(join(tmpdir(), 'e2e-presenter-'))
const site = courseSite(root)
let hub: Hub
let browser: { context: BrowserContext; profile: string }
let page: Page

beforeAll(async () => {
  await ensureSite(site, (line) => console.log(line))
  hub = await createHub({
    chapters: hubChapters(fixtureCourse),
    siteDir: site.outDir,
    presenter: createPresenterTerminal({ cwd: tmp, shell: 'bash', args: ['--norc', '-i'] }),
  })
  browser = await launchChromium()
  page = await browser.context.newPage()
})

afterAll(async () => {
  await browser?.context.close()
  await hub?.close()
  rmSync(tmp, { recursive: true, force: true })
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
})

const focused = () =>
  page.evaluate(
    `(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : '' })()`,
  ) as Promise<string>
const inPresenter = () =>
  page.evaluate(`!!document.activeElement?.closest('[data-testid="presenter-terminal"]')`) as Promise<boolean>
const screen = () => page.getByTestId('presenter-terminal').locator('.xterm-rows').innerText()

async function tabTo(test: (name: string) => boolean, max = 40): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press('Tab')
    if (test(await focused())) return
  }
  throw new Error(`not reached in ${max} Tab presses; focus is on ${JSON.stringify(await focused())}`)
}

it('enters, uses and leaves the presenter terminal with the keyboard', async () => {
  await page.goto(hub.dashboardLink)
  await expect.poll(() => page.getByRole('status').first().innerText()).toContain('live')
  await tabTo((name) => name === 'Presenter view')
  await page.keyboard.press('Enter')
  await page.getByTestId('presenter-terminal').locator('.xterm-rows').waitFor()
  await tabTo((name) => name.startsWith('Presenter terminal'))
  expect(await focused()).toBe('Presenter terminal. Alt+Shift+T leaves the terminal')
  await page.keyboard.type('echo presenting-$((40+2))\n')
  await expect.poll(screen).toContain('presenting-42')
  // Tab is the shell's (completion): focus stays in the terminal.
  await page.keyboard.press('Tab')
  expect(await inPresenter()).toBe(true)
  await page.keyboard.press('Alt+Shift+KeyT')
  expect(await inPresenter()).toBe(false)
  expect(await page.evaluate(`document.activeElement !== document.body`)).toBe(true)
})

it('finds no WCAG 2.1 AA violation on the dashboard with the presenter terminal open', async () => {
  const problems: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate(`localStorage.setItem('vitepress-theme-appearance', '${theme}')`)
    await page.goto(`${hub.dashboardLink.replace('#secret=', '#view=presenter&secret=')}`)
    await page.reload()
    await page.getByTestId('presenter-terminal').locator('.xterm-rows').waitFor()
    problems.push(...describeViolations(`dashboard (${theme})`, await axeViolations(page)))
  }
  expect(problems).toEqual([])
})
