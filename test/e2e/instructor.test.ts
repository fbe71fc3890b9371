/**
 * A workshop in the browser: the instructor's dashboard (served by the hub), a learner with a local runner and a
 * learner with only a browser who gets a hosted runner + lab from the hub, all on the fixture course and the fixture
 * lab. Asserts on what each of them sees.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hub } from '../../instructor/hub/create-hub.ts'
import { hubSocketUrl } from '../../instructor/join.ts'
import { createPresenterTerminal } from '../../instructor/presenter-terminal.ts'
import { hubPaths } from '../../protocol/hub.ts'
import { launchChromium } from '../../support/chromium.ts'
import { type FixtureWorkshop, startFixtureWorkshop } from '../../support/fixture-workshop.ts'

const tmp = mkdtempSync(join(tmpdir(), 'e2e-instructor-'))
const courseSite = join(tmp, 'course')
const instructorSite = join(tmp, 'instructor')
let workshop: FixtureWorkshop
let hub: Hub
let local: FixtureWorkshop['local']
let browser: BrowserContext
let dashboard: Page
let lena: Page
let hana: Page

async function buildSites(): Promise<void> {
  const env = {
    LAB_DOCS_DIR: 'support/fixture-course/docs',
    LAB_STEPS_DIR: 'support/fixture-course/steps',
    LAB_OUT_DIR: courseSite,
  }
  await execa('npx', ['vitepress', 'build'], { env })
  await execa('npx', ['vitepress', 'build', 'support/instructor-site'], {
    env: { INSTRUCTOR_SITE_OUT: instructorSite, INSTRUCTOR_SITE_CACHE: join(tmp, 'cache') },
  })
}

/** The visible text of an xterm (its DOM renderer keeps one div per row). */
const screen = (page: Page, testId: string) => page.getByTestId(testId).locator('.xterm-rows').innerText()
const row = (name: string) => dashboard.getByRole('row').filter({ hasText: name })
/** Opens the learner's control menu (a disclosure) unless it is open, then acts. */
async function control(name: string, run: () => Promise<void>): Promise<void> {
  const menu = row(name)
    .locator('details')
    .filter({ has: dashboard.getByText(`Actions for ${name}`) })
  if ((await menu.getAttribute('open')) === null) await menu.getByText(`Actions for ${name}`).click()
  await run()
}

beforeAll(async () => {
  await buildSites()
  workshop = await startFixtureWorkshop({
    localName: 'Lena',
    siteDir: courseSite,
    hub: {
      siteDir: instructorSite,
      presenter: createPresenterTerminal({ cwd: tmp, shell: 'bash', args: ['--norc', '-i'] }),
    },
  })
  ;({ hub, local } = workshop)
  ;({ context: browser } = await launchChromium(join(tmp, 'profile')))
  dashboard = await browser.newPage()
  lena = await browser.newPage()
  hana = await browser.newPage()
})

afterAll(async () => {
  await browser?.close()
  await workshop?.close()
  rmSync(tmp, { recursive: true, force: true })
})

describe('workshop in the browser', () => {
  it('opens the dashboard and takes the secret out of the address bar', async () => {
    await dashboard.goto(hub.dashboardLink)
    await expect.poll(() => dashboard.getByRole('status').innerText()).toContain('live')
    expect(dashboard.url()).not.toContain(hub.instructorSecret)
    await expect.poll(() => row('Lena').count()).toBe(1)
  })

  it('gives a browser-only learner a hosted lab with the course UI', async () => {
    await hana.goto(hub.joinLink)
    await expect.poll(() => hana.url()).not.toContain(hub.workshopCode)
    await hana.getByLabel('Your name').fill('Hana')
    await hana.getByRole('button', { name: 'Start my lab in the browser' }).click()
    await hana.waitForURL((url) => url.origin !== new URL(hub.url).origin)
    await hana.goto(new URL('/setup', hana.url()).href)
    await expect.poll(() => hana.getByRole('button', { name: 'Run' }).first().isEnabled()).toBe(true)
    await expect.poll(() => row('Hana').innerText()).toContain('hosted')
  })

  it('shows progress and the failing check with its reason on the dashboard', async () => {
    await lena.goto(local.runner.openUrl)
    await lena.goto(new URL('/setup', local.runner.url).href)
    await lena.getByRole('region', { name: 'Write the lab config' }).getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => row('Lena').innerText()).toContain('write-config ✓')
    await lena.getByRole('region', { name: 'Check your lab' }).getByRole('button', { name: 'Check' }).click()
    await expect
      .poll(() => row('Lena').innerText())
      .toContain('The service is not running; start it with ./start-service.')
    expect(await row('Lena').innerText()).toMatch(/✓ 1\s+✗ 1/)
  })

  it('shows a learner\'s "I\'m stuck" request with its note until the learner withdraws it', async () => {
    const help = lena.getByTestId('lab-help')
    await help.getByLabel('What are you stuck on? (optional)').fill('the service does not start')
    await help.getByRole('button', { name: "I'm stuck: ask the instructor" }).click()
    await expect
      .poll(() => row('Lena').getByTestId('help-request').innerText())
      .toContain('asks for help on Set up the lab')
    expect(await row('Lena').getByTestId('help-request').innerText()).toContain('the service does not start')
    await expect
      .poll(() => help.getByRole('status').innerText())
      .toContain('Your instructor can see that you asked for help')
    await help.getByRole('button', { name: 'I got it, withdraw' }).click()
    await expect.poll(() => row('Lena').getByTestId('help-request').count()).toBe(0)
  })

  it('paces the class: a learner whose checks pass still cannot open the next chapter', async () => {
    await dashboard.getByLabel('Class pace').selectOption({ label: 'up to 1. Set up the lab' })
    await dashboard.getByRole('button', { name: 'Apply class pace' }).click()
    await expect.poll(() => dashboard.getByRole('status').innerText()).toContain('class paced up to chapter 1')
    local.lab.setState('service.state', 'running\n')
    await lena.getByRole('region', { name: 'Check your lab' }).getByRole('button', { name: 'Check' }).click()
    await expect.poll(() => row('Lena').innerText()).toContain('✗ 0')
    await lena.goto(new URL('/routing', local.runner.url).href)
    await expect
      .poll(() => lena.getByTestId('lab-gate').innerText())
      .toContain('Your instructor has not opened this chapter yet.')
    await dashboard.getByLabel('Class pace').selectOption({ label: 'no limit' })
    await dashboard.getByRole('button', { name: 'Apply class pace' }).click()
    await expect.poll(() => lena.getByTestId('lab-gate').count()).toBe(0)
  })

  it('delivers a broadcast to both learners and a hint only to Hana', async () => {
    await dashboard.getByLabel('Broadcast message').fill('Break until 10:30')
    await dashboard.getByRole('button', { name: 'Send broadcast' }).click()
    await control('Hana', async () => {
      await dashboard.getByLabel('Hint for Hana').fill('Start the service with ./start-service')
      await dashboard.getByRole('button', { name: 'Send hint to Hana' }).click()
    })
    await expect
      .poll(() => hana.getByRole('alert').allInnerTexts())
      .toEqual([
        expect.stringContaining('Break until 10:30'),
        expect.stringContaining('Start the service with ./start-service'),
      ])
    await expect
      .poll(() => lena.getByRole('alert').allInnerTexts())
      .toEqual([expect.stringContaining('Break until 10:30')])
  })

  it("shows a learner's terminal live and read-only", async () => {
    await control('Lena', () => dashboard.getByRole('button', { name: "Watch Lena's terminal" }).click())
    await expect.poll(() => screen(dashboard, 'mirror-terminal')).toContain('mode=ready')
    const seen: string[] = []
    const stop = local.runner.mirrorTerminal('main', (data) => seen.push(data.toString()))
    await dashboard.getByTestId('mirror-terminal').click()
    await dashboard.keyboard.type('echo typed-by-instructor\n')
    await lena.goto(new URL('/setup', local.runner.url).href)
    await lena.getByRole('region', { name: 'List the lab files' }).getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => screen(dashboard, 'mirror-terminal')).toContain('service.state')
    stop()
    expect(seen.join('')).not.toContain('typed-by-instructor')
    expect(await screen(dashboard, 'mirror-terminal')).not.toContain('typed-by-instructor')
  })

  it('resets the hosted learner to the start of chapter 2 with a working lab', async () => {
    const before = workshop.hostedLabs[0]
    await control('Hana', async () => {
      await dashboard.getByLabel('Chapter to reset Hana to').selectOption({ label: 'start of 2. Check the routes' })
      await dashboard.getByRole('button', { name: "Reset Hana's lab" }).click()
    })
    await expect.poll(() => dashboard.getByText('Reset of Hana: done').count(), { timeout: 30_000 }).toBe(1)
    expect(before.status().state).toBe('stopped')
    await hana.goto(new URL('/routing', hana.url()).href)
    await expect.poll(() => hana.getByRole('button', { name: 'Run' }).first().isEnabled()).toBe(true)
    expect(await hana.getByTestId('lab-gate').count()).toBe(0)
    await hana.getByRole('region', { name: 'Check your lab' }).getByRole('button', { name: 'Check' }).click()
    await expect
      .poll(() => hana.getByRole('region', { name: 'Check your lab' }).innerText())
      .toContain('All checks passed')
    await expect.poll(() => row('Hana').innerText()).toContain('Check the routes')
  })

  it('mirrors the presenter terminal read-only to a follower', async () => {
    await dashboard.getByRole('button', { name: 'Presenter view' }).click()
    await dashboard.getByTestId('presenter-terminal').click()
    await dashboard.keyboard.type('echo presenting-$((40+2))\n')
    const follower = await browser.newPage()
    await follower.goto(hub.joinLink)
    await follower.getByRole('link', { name: "Follow the instructor's terminal" }).click()
    await expect.poll(() => screen(follower, 'presenter-terminal')).toContain('presenting-42')
    await follower.getByTestId('presenter-terminal').click()
    await follower.keyboard.type('echo from-follower\n')
    await dashboard.keyboard.type('echo still-$((1+1))\n')
    await expect.poll(() => screen(follower, 'presenter-terminal')).toContain('still-2')
    expect(await screen(dashboard, 'presenter-terminal')).not.toContain('from-follower')
    await follower.close()
  })

  it('refuses a learner who tries an instructor action', async () => {
    const page = await browser.newPage()
    await page.goto(hub.joinLink)
    const refusal = await page.evaluate(
      async ({ code, url }) => {
        const ws = new WebSocket(url)
        return new Promise<string>((resolve) => {
          ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', secret: code }))
          ws.onmessage = () => resolve('got data')
          ws.onclose = (event) => resolve(`${event.code} ${event.reason}`)
        })
      },
      { code: hub.workshopCode, url: hubSocketUrl(hub.url, hubPaths.dashboard) },
    )
    expect(refusal).toMatch(/^4401 HUB_UNAUTHORIZED/)
    await page.close()
    expect(await row('Lena').count()).toBe(1)
  })
})
