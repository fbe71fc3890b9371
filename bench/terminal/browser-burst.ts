/**
 * Pushes a large burst through the runner into the xterm.js of a real page and counts what xterm wrote, and any
 * "write data discarded" warning (what xterm logs when its write buffer overflows without flow control).
 */
import type { BrowserContext } from 'playwright-core'
import type { Runner } from '../../runner/runner.ts'

export async function browserBurst(context: BrowserContext, runner: Runner, bytes: number) {
  const page = await context.newPage()
  page.setDefaultTimeout(600_000)
  let discarded = 0
  page.on('console', (message) => {
    if (message.text().includes('write data discarded')) discarded++
  })
  await page.goto(`${runner.url}setup?token=${runner.token}`)
  await page.locator('.lab-terminal .xterm-rows', { hasText: 'lab$' }).waitFor()
  const written = async () => Number((await page.locator('.lab-xterm').getAttribute('data-written')) ?? 0)
  await page.waitForTimeout(300)
  const before = await written()
  const started = Date.now()
  await page.locator('.lab-terminal textarea').focus()
  await page.keyboard.type(
    `yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c ${bytes}; echo BURST-$((6*7))-END\n`,
  )
  await page.locator('.lab-terminal .xterm-rows', { hasText: 'BURST-42-END' }).waitFor()
  const seconds = (Date.now() - started) / 1000
  await page.waitForTimeout(300)
  const after = await written()
  await page.close()
  // Besides the burst, the terminal also printed the echoed command line, the marker and a prompt.
  return { expected: bytes, written: after - before, markerSeen: true, discarded, seconds }
}
