/**
 * What a page of another origin on the same machine (another port of 127.0.0.1, as any local server or a page the
 * learner opens may be) can do to the course in a real browser: frame it (no), read its access token (no, it is in
 * the course origin's storage, not a cookie), open its socket (no). And the course's own pages run under the
 * Content-Security-Policy with no violation.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Runner } from '../../runner/runner.ts'
import { launchChromium } from '../../support/chromium.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { buildFixtureSite, startFixtureRunner } from '../../support/fixture-site.ts'

let lab: FixtureLab
let runner: Runner
let stateDir: string
let browser: { context: BrowserContext; profile: string }
let hostile: Server
let hostileUrl: string
let page: Page
const violations: string[] = []

beforeAll(async () => {
  await buildFixtureSite()
  stateDir = mkdtempSync(join(tmpdir(), 'lab-e2e-hostile-'))
  lab = new FixtureLab()
  await lab.up()
  runner = await startFixtureRunner(lab, stateDir)
  // The other local page: frames the course and tries its socket, reporting what it got.
  hostile = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' })
    response.end(`<!doctype html><iframe id="course" src="${runner.url}setup"></iframe>
<script>
  window.socketOutcome = new Promise((resolve) => {
    const ws = new WebSocket('${runner.url.replace('http', 'ws')}__lab/ws', ['lab.v1'])
    ws.onopen = () => resolve('open')
    ws.onerror = () => resolve('refused')
  })
</script>`)
  })
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve))
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`
  browser = await launchChromium()
  page = await browser.context.newPage()
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text())
  })
})

afterAll(async () => {
  await browser?.context.close()
  await new Promise((resolve) => hostile?.close(resolve))
  await runner?.close()
  await lab?.down()
  rmSync(stateDir, { recursive: true, force: true })
  if (browser) rmSync(browser.profile, { recursive: true, force: true })
})

it('runs the course pages under the policy without a violation, with no cookie', async () => {
  await page.goto(`${runner.url}setup?token=${runner.token}`)
  await expect.poll(() => page.getByTestId('lab-status').innerText()).toContain('fixture lab: ready')
  await expect.poll(() => page.url()).toBe(`${runner.url}setup`)
  expect(await browser.context.cookies()).toEqual([])
  expect(violations).toEqual([])
})

it('cannot be framed or reached by a page of another local origin, even in the same browser', async () => {
  const other = await browser.context.newPage()
  try {
    await other.goto(hostileUrl)
    // The learner's browser holds the token (first test): still, the other page's socket is refused.
    expect(await other.evaluate('window.socketOutcome')).toBe('refused')
    const frame = other.frames().find((f) => f !== other.mainFrame())
    // Chromium replaces a page refused by frame-ancestors with its error page: nothing of the course loads there.
    await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/)
    expect(await other.evaluate("localStorage.getItem('lab-token')")).toBeNull()
  } finally {
    await other.close()
  }
})
