/**
 * The fixture course with the keyboard alone: skip links, the Run/terminal shortcuts, visible focus, verdicts spoken
 * through the live region, Copy and Ctrl+Shift+C/V, a large paste that arrives whole, and the terminal's
 * screen-reader mode kept across a reload. No mouse click drives the chapter.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Runner } from '../../runner/runner.ts'
import { launchChromium } from '../../support/chromium.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { buildFixtureSite, root, startFixtureRunner } from '../../support/fixture-site.ts'

const shots = join(root, 'test-results/screenshots')
let lab: FixtureLab
let runner: Runner
let stateDir: string
let browser: { context: BrowserContext; profile: string }
let page: Page

beforeAll(async () => {
  await buildFixtureSite()
  mkdirSync(shots, { recursive: true })
  stateDir = mkdtempSync(join(tmpdir(), 'lab-keyboard-state-'))
  lab = new FixtureLab()
  await lab.up()
  runner = await startFixtureRunner(lab, stateDir)
  browser = await launchChromium()
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(runner.url).origin })
  page = await browser.context.newPage()
})

afterAll(async () => {
  await browser?.context.close()
  await runner?.close()
  await lab?.down()
  rmSync(stateDir, { recursive: true, force: true })
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
})

/** What a screen reader would say for the focused element: its label, else its text. */
const focused = () =>
  page.evaluate(
    `(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : '' })()`,
  ) as Promise<string>
const inTerminal = () => page.evaluate(`!!document.activeElement?.closest('.lab-terminal')`) as Promise<boolean>
const step = (id: string) => page.locator(`[data-step="${id}"]`)
const said = () => page.getByTestId('lab-announcer').innerText()
const terminalText = () => page.locator('.lab-terminal .xterm-rows').innerText()

/** Presses Tab until `test` holds for the focused element's name; returns how many presses it took. */
async function tabTo(test: (name: string) => boolean, max = 60): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab')
    if (test(await focused())) return presses
  }
  throw new Error(`not reached in ${max} Tab presses; focus is on ${JSON.stringify(await focused())}`)
}

async function openSetup(): Promise<void> {
  await page.goto(`${runner.url}setup?token=${runner.token}`)
  await expect.poll(() => page.url()).toBe(`${runner.url}setup`)
  await page.locator('.lab-status--ready').waitFor()
  await page.locator('.lab-terminal .xterm-rows').waitFor()
}

it('completes a chapter with the keyboard alone', async () => {
  await openSetup()
  const plainTabs = await tabTo((name) => name === 'Run')
  console.log(`Tab presses to the first Run button without the skip link: ${plainTabs}`)

  // Skip link: Tab, Enter, Tab reaches the first Run button.
  await page.reload()
  await page.locator('.lab-terminal .xterm-rows').waitFor()
  expect(await tabTo((name) => name === 'Skip to the steps', 1)).toBe(1)
  await page.keyboard.press('Enter')
  expect(await focused()).toBe('Write the lab config')
  expect(await tabTo((name) => name === 'Run', 1)).toBe(1)
  // The focus ring shows (keyboard focus), and stands out from the button.
  expect(await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`)).toBe('solid')
  await page.screenshot({ path: join(shots, 'keyboard-01-run-focused.png') })
  await page.keyboard.press('Enter')
  await expect.poll(() => step('write-config').getByTestId('step-state').innerText()).toBe('Passed')
  await expect.poll(said).toBe('Write the lab config: passed')

  // Alt+Shift+R runs the next step that has not passed.
  await page.keyboard.press('Alt+Shift+KeyR')
  await expect.poll(() => step('list-files').getByTestId('step-state').innerText()).toBe('Passed')
  await expect.poll(said).toBe('List the lab files: passed')
  await page.keyboard.press('Alt+Shift+KeyR')
  await expect.poll(said).toBe('Every step on this page has passed.')

  // Check: one check fails, and the verdict is spoken with its title.
  await tabTo((name) => name === 'Check')
  await page.keyboard.press('Enter')
  await expect.poll(said).toBe('Some checks failed: The service is running')

  // Alt+Shift+T: into the terminal, fix the lab there, and back to the Check button.
  await page.keyboard.press('Alt+Shift+KeyT')
  await expect.poll(inTerminal).toBe(true)
  await page.screenshot({ path: join(shots, 'keyboard-02-terminal-focused.png') })
  await page.keyboard.type('echo running > service.state && echo started-$((40+2))\n')
  await expect.poll(terminalText).toContain('started-42')
  await page.keyboard.press('Alt+Shift+KeyT')
  expect(await inTerminal()).toBe(false)
  expect(await focused()).toBe('Check')
  await page.keyboard.press('Enter')
  await expect.poll(said).toBe('All checks passed: the next chapter is open.')
  await expect
    .poll(() =>
      page.locator('.VPSidebar').getByRole('link', { name: 'Set up the lab' }).getAttribute('data-lab-chapter'),
    )
    .toBe('done')
})

it('copies a step command with its Copy button, pastes it with Ctrl+Shift+V, and copies a selection with Ctrl+Shift+C', async () => {
  await openSetup()
  await step('list-files').getByRole('button', { name: 'Copy the command' }).focus()
  await page.keyboard.press('Enter')
  await expect.poll(said).toBe('Copied')
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('ls -1')

  await page.keyboard.press('Alt+Shift+KeyT')
  await expect.poll(inTerminal).toBe(true)
  await page.keyboard.type('echo pasted: ')
  await page.keyboard.press('Control+Shift+KeyV')
  // The clipboard is read asynchronously: Enter only once the pasted command is on the prompt line.
  await expect.poll(terminalText).toContain('lab$ echo pasted: ls -1')
  await page.keyboard.press('Enter')
  await expect.poll(terminalText).toMatch(/lab\$ echo pasted: ls -1\s+pasted: ls -1\s/)

  // A word selected in the terminal goes to the clipboard; the shell gets no Ctrl+C.
  await page.keyboard.type('echo copy-me-$((6*7))\n')
  await expect.poll(terminalText).toContain('copy-me-42')
  const row = (await page.locator('.lab-terminal .xterm-rows > div', { hasText: /^copy-me-42\s*$/ }).boundingBox())!
  await page.mouse.dblclick(row.x + 20, row.y + row.height / 2)
  await page.keyboard.press('Control+Shift+KeyC')
  await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('copy-me-42')
  expect(await terminalText()).not.toContain('^C')
})

it('delivers a large paste whole', async () => {
  await openSetup()
  const line = 'x'.repeat(99)
  const text = `${Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(4, '0')}${line}`).join('\n')}\n`
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`)
  await page.keyboard.press('Alt+Shift+KeyT')
  // Without bracketed paste, so the file gets the clipboard's bytes and no paste markers around them.
  await page.keyboard.type("bind 'set enable-bracketed-paste off'; echo ready-$((1+1))\n")
  await expect.poll(terminalText).toContain('ready-2')
  await page.keyboard.type('cat > pasted.txt\n')
  await page.keyboard.press('Control+Shift+KeyV')
  const pasted = join(lab.dir, 'pasted.txt')
  await expect.poll(() => (existsSync(pasted) ? statSync(pasted).size : 0), { timeout: 60_000 }).toBe(text.length)
  await page.keyboard.press('Control+KeyD')
  expect(readFileSync(pasted, 'utf8')).toBe(text)
})

it('keeps the terminal in screen-reader mode across a reload', async () => {
  await openSetup()
  const toggle = page.getByRole('button', { name: 'Screen reader mode' })
  expect(await toggle.getAttribute('aria-pressed')).toBe('false')
  expect(await page.locator('.lab-terminal .xterm-accessibility').count()).toBe(0)
  await toggle.focus()
  await page.keyboard.press('Enter')
  expect(await toggle.getAttribute('aria-pressed')).toBe('true')
  await page.locator('.lab-terminal .xterm-accessibility').waitFor({ state: 'attached' })
  await page.reload()
  await page.locator('.lab-terminal .xterm-rows').waitFor()
  expect(await toggle.getAttribute('aria-pressed')).toBe('true')
  await page.locator('.lab-terminal .xterm-accessibility').waitFor({ state: 'attached' })
  // The second skip link leads into the terminal; the screen's text is in the accessibility tree, where a screen
  // reader reads it.
  expect(await tabTo((name) => name === 'Skip to the terminal', 2)).toBe(2)
  await page.keyboard.press('Enter')
  await expect.poll(inTerminal).toBe(true)
  await page.keyboard.type('echo spoken-$((40+2))\n')
  await expect.poll(() => page.locator('.lab-terminal .xterm-accessibility-tree').innerText()).toContain('spoken-42')
})

it('says so, in the terminal and aloud, when its program reads no input and what was pasted is dropped', async () => {
  await openSetup()
  await page.keyboard.press('Alt+Shift+KeyT')
  await page.keyboard.type('sleep 600\n')
  await expect.poll(terminalText).toContain('sleep 600')
  // More than the 4 MiB the runner keeps waiting for a program that reads none (LAB_INPUT_FULL).
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(`${'y'.repeat(1023)}\n`)}.repeat(5 * 1024))`)
  await page.keyboard.press('Control+Shift+KeyV')
  const dropped =
    'Input dropped: the program in this terminal has not read the last 4 MiB of what was typed. Press Ctrl-C to end it.'
  await expect.poll(said, { timeout: 60_000 }).toBe(dropped)
  await expect.poll(terminalText).toContain('[Input dropped: the program in this terminal')
  await page.keyboard.press('Control+KeyC')
})

it('says so when what was typed could not be sent, instead of dropping it without a word', async () => {
  await openSetup()
  await page.keyboard.press('Alt+Shift+KeyT')
  await expect.poll(inTerminal).toBe(true)
  const port = runner.port
  await runner.close()
  await page.locator('.lab-status--disconnected').waitFor()
  await page.keyboard.type('x')
  await expect.poll(said).toBe('Not connected to the lab runner: what you typed or pasted was not sent.')
  runner = await startFixtureRunner(lab, stateDir, port)
})
