import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
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
let runner: Runner | undefined
let stateDir: string
let browser: { context: BrowserContext; profile: string }
let page: Page

beforeAll(async () => {
  await buildFixtureSite()
  mkdirSync(shots, { recursive: true })
  stateDir = mkdtempSync(join(tmpdir(), 'lab-e2e-state-'))
  lab = new FixtureLab()
  await lab.up()
  runner = await startFixtureRunner(lab, stateDir)
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
const check = (id: string) => page.locator(`[data-check="${id}"]`)
const terminalText = () => page.locator('.lab-terminal .xterm-rows').innerText()

it('takes a learner from a locked chapter through steps, checks, a reload and a runner restart', async () => {
  // The link with the token: the page keeps it in this origin's storage (no cookie) and takes it off the address bar.
  await page.goto(`${runner!.url}routing?token=${runner!.token}`)
  await expect.poll(() => page.url()).toBe(`${runner!.url}routing`)
  expect(await page.context().cookies()).toEqual([])
  await expect.poll(() => page.getByTestId('lab-status').innerText()).toContain('fixture lab: ready')

  // Locked: the gate says why and links to the missing chapter.
  const gate = page.getByTestId('lab-gate')
  await gate.waitFor()
  expect(await gate.innerText()).toContain('Set up the lab')
  expect(await step('show-routes').getByRole('button', { name: 'Run' }).isDisabled()).toBe(true)
  await page.screenshot({ path: join(shots, '01-locked.png') })
  expect(
    await page.locator('.VPSidebar').getByRole('link', { name: 'Check the routes' }).getAttribute('data-lab-chapter'),
  ).toBe('locked')
  await gate.getByRole('link', { name: 'Set up the lab' }).click()
  await page.waitForURL(/\/setup$/)

  // Run a step: typed into the docked terminal, verified when it finishes.
  await step('write-config').getByRole('button', { name: 'Run' }).click()
  await expect.poll(() => step('write-config').getByTestId('step-state').innerText()).toBe('Passed')
  await expect.poll(terminalText).toContain('mode=ready')

  // Check: one check fails with expected vs actual.
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await expect.poll(() => check('service-running').innerText()).toContain('The service is not running')
  expect(await check('service-running').getByTestId('expected').innerText()).toBe('output contains "running"')
  expect(await check('service-running').getByTestId('actual').innerText()).toBe('stopped')
  expect(await check('config-written').getAttribute('class')).toContain('is-ok')
  await check('service-running').getByRole('button', { name: 'Show a hint' }).click()
  expect(await check('service-running').innerText()).toContain('Look at service.state')
  await page.screenshot({ path: join(shots, '02-check-failed.png'), fullPage: true })

  // Fix the lab, check again: all pass, the next chapter opens.
  lab.setState('service.state', 'running\n')
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'checks passed' }).count()).toBe(1)
  await page.screenshot({ path: join(shots, '03-check-passed.png'), fullPage: true })
  const sidebarLink = (name: string) => page.locator('.VPSidebar').getByRole('link', { name })
  await expect.poll(() => sidebarLink('Set up the lab').getAttribute('data-lab-chapter')).toBe('done')
  await page.locator('.VPSidebar').getByRole('link', { name: 'Check the routes' }).click()
  await page.waitForURL(/\/routing$/)
  await expect.poll(() => page.getByTestId('lab-gate').count()).toBe(0)
  await step('show-routes').getByRole('button', { name: 'Run' }).click()
  await expect.poll(() => step('show-routes').getByTestId('step-state').innerText()).toBe('Passed')
  await page.screenshot({ path: join(shots, '04-next-chapter.png') })

  // Reload: progress and the terminal's scrollback are still there.
  await page.reload()
  await expect.poll(() => step('show-routes').getByTestId('step-state').innerText()).toBe('Passed')
  await expect.poll(terminalText).toContain('10.98.1.0/24 via 10.1.5.1')
  expect(await terminalText()).toContain('mode=ready')

  // Restart the runner on the same state: progress is still there.
  const port = runner!.port
  await runner!.close()
  runner = undefined
  runner = await startFixtureRunner(lab, stateDir, port)
  await page.goto(`${runner.url}setup?token=${runner.token}`)
  await expect.poll(() => step('write-config').getByTestId('step-state').innerText()).toBe('Passed')
  expect(await check('service-running').getAttribute('class')).toContain('is-ok')
  await page.goto(`${runner.url}routing`)
  await expect.poll(() => step('show-routes').getByTestId('step-state').innerText()).toBe('Passed')
  expect(await page.getByTestId('lab-gate').count()).toBe(0)
  // The terminal's earlier output is still there, above the new shell.
  await expect
    .poll(terminalText)
    .toMatch(
      /mode=ready\s+lab\$ printf[^\n]*\s+10\.98\.0\.0\/24 via 10\.1\.5\.1\s+10\.98\.1\.0\/24 via 10\.1\.5\.1\s+lab\$\s+── above: this terminal's earlier output; below: a new shell ──\s+lab\$/,
    )
  await page.screenshot({ path: join(shots, '05-after-restart.png') })

  // The instructor's hooks show in the page: a pace lock and a dismissible broadcast.
  runner.setPace({ upToOrder: 1 })
  await expect
    .poll(() => page.getByTestId('lab-gate').innerText())
    .toContain('Your instructor has not opened this chapter yet.')
  runner.notify({ kind: 'broadcast', text: 'Break until 10:30', from: 'Ada' })
  const banner = page.getByRole('alert').filter({ hasText: 'Break until 10:30' })
  await banner.waitFor()
  expect(await banner.innerText()).toContain('Message from your instructor (Ada)')
  await page.screenshot({ path: join(shots, '06-instructor-pace-and-broadcast.png') })
  await banner.getByRole('button', { name: 'Dismiss' }).click()
  await expect.poll(() => banner.count()).toBe(0)
  runner.setPace(null)
  await expect.poll(() => page.getByTestId('lab-gate').count()).toBe(0)

  // The learner ends the shell: the terminal says so, and a key starts a fresh one below the old one's output.
  await page.locator('.lab-terminal textarea').focus()
  await page.keyboard.type('echo before-exit-$((40+2))\n')
  await expect.poll(terminalText).toContain('before-exit-42')
  await page.keyboard.type('exit\n')
  await expect.poll(terminalText).toContain('the shell exited with code 0; press any key for a new one')
  await page.keyboard.press('Enter')
  await expect.poll(terminalText).toMatch(/below: a new shell ──\s+lab\$/)
  const after = await terminalText()
  expect(after.split('before-exit-42').length - 1).toBe(1)

  // The Chinese pages show the same steps, in Chinese, with the same progress.
  await page.goto(`${runner.url}zh/setup`)
  await expect.poll(() => step('write-config').innerText()).toContain('写入实验配置')
  expect(await step('write-config').getByTestId('step-state').innerText()).toBe('通过')
  expect(await page.getByRole('button', { name: '检查', exact: true }).isEnabled()).toBe(true)
})

it('lets go of its terminal while the tab is hidden and catches up, each byte once, when shown again', async () => {
  const sent: string[] = []
  const received: (string | Buffer)[] = []
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => typeof payload === 'string' && sent.push(payload))
    socket.on('framereceived', ({ payload }) => received.push(payload))
  })
  const progressEvents = () =>
    received.filter((frame) => typeof frame === 'string' && frame.includes('"type":"progress"')).length
  await page.goto(`${runner!.url}setup`)
  await expect.poll(terminalText).toContain('lab$')
  // What the browser does when the tab goes to the background or comes back (in the page, so as a string: the tests
  // are typed without the DOM).
  const setHidden = (hidden: boolean) =>
    page.evaluate(`
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} })
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${hidden ? 'hidden' : 'visible'}' })
      document.dispatchEvent(new Event('visibilitychange'))`)
  await setHidden(true)
  await expect.poll(() => sent.filter((frame) => frame.includes('"type":"detach"')).length).toBe(1)

  // Output while hidden, typed in a second tab on the same terminal: the hidden tab receives none of it.
  const other = await browser.context.newPage()
  await other.goto(`${runner!.url}setup`)
  await other.locator('.lab-terminal textarea').focus()
  await other.keyboard.type('echo while-hidden-$((6*7))\n')
  await expect.poll(() => other.locator('.lab-terminal .xterm-rows').innerText()).toContain('while-hidden-42')
  // A later event to every tab (the other tab opening the chapter again) proves the moment passed: output sent to
  // the hidden tab would have come before it.
  const before = progressEvents()
  await other.reload()
  await expect.poll(progressEvents).toBeGreaterThan(before)
  expect(received.some((frame) => typeof frame !== 'string' && frame.includes('while-hidden-42'))).toBe(false)
  expect(await terminalText()).not.toContain('while-hidden-42')
  await other.close()

  await setHidden(false)
  await expect.poll(terminalText).toContain('while-hidden-42')
  const attach = JSON.parse(sent.filter((frame) => frame.includes('"type":"attach"')).at(-1)!) as { fromSeq: number }
  expect(attach.fromSeq).toBeGreaterThan(0)
  expect((await terminalText()).split('while-hidden-42').length - 1).toBe(1)
})
