/**
 * The image's entry script, run here as the container would run it (APP_DIR pointing at this checkout instead of
 * /app): `hub` starts the hub with the secrets from the environment, `lab` starts a runner with a twin lab that joins
 * that hub. Needs root (the twin). The image itself is not built here: this machine has no container engine.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa, type ResultPromise } from 'execa'
import { afterAll, describe, expect, it } from 'vitest'
import { createHub, type Hub } from '../../instructor/hub/create-hub.ts'
import { waitFor } from '../../support/hub-clients.ts'

const tmp = mkdtempSync(join(tmpdir(), 'deploy-entry-'))
const started: ResultPromise[] = []
let hub: Hub | undefined

function entry(role: string, env: Record<string, string>): { child: ResultPromise; output: () => string } {
  const child = execa('deploy/entrypoint.sh', [role], {
    env: { APP_DIR: process.cwd(), ...env },
    all: true,
    reject: false,
  })
  started.push(child)
  let output = ''
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output }
}

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null) child.kill('SIGTERM')
    await child
  }
  await hub?.close()
  rmSync(tmp, { recursive: true, force: true })
})

describe('deploy/entrypoint.sh', () => {
  it('hub: listens on all interfaces, says so, and uses the secrets from the environment', async () => {
    const run = entry('hub', {
      HUB_PORT: '0',
      INSTRUCTOR_SECRET: 'entry-secret-0123456789',
      WORKSHOP_CODE: 'ENTRY-CODE0',
      LAB_OUT_DIR: join(tmp, 'site'),
    })
    const url = await waitFor(() => /Workshop hub on (http:\S+)/.exec(run.output())?.[1], 'the hub link', 60_000)
    expect(run.output()).toMatch(/WARNING: the hub listens on 0\.0\.0\.0/)
    expect(run.output()).toContain(`${url}/instructor#secret=entry-secret-0123456789`)
    expect(run.output()).toContain(`${url}/instructor#code=ENTRY-CODE0`)
    expect(run.output()).toContain('Hosted labs are off')
    // The hub serves the dashboard page from the site it built.
    const page = await fetch(`${url}/instructor`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>')
    run.child.kill('SIGTERM')
    expect((await run.child).exitCode).toBe(0)
  }, 120_000)

  it("lab: starts a runner with a twin lab that joins the hub under the learner's name, and stops cleanly", async () => {
    hub = await createHub({ chapters: [{ id: 'welcome', order: 0, title: 'Welcome' }] })
    const run = entry('lab', {
      LAB_PORT: '0',
      HUB_JOIN_LINK: hub.joinLink,
      LEARNER_NAME: 'learner-lab-0',
      LAB_OUT_DIR: join(tmp, 'site'),
      LAB_PROGRESS_DIR: join(tmp, 'progress'),
    })
    const openUrl = await waitFor(() => /(http:\/\/\S+\?token=\S+)/.exec(run.output())?.[1], 'the runner link', 180_000)
    await waitFor(
      () => hub!.core.store.list().find((l) => l.name === 'learner-lab-0' && l.connected),
      'the lab joined the hub',
      30_000,
    )
    // The link opens the course page (the page itself moves the token into its origin's storage).
    const page = await fetch(openUrl, { redirect: 'manual' })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    await waitFor(
      () => hub!.core.store.list().find((l) => l.labState === 'ready'),
      'the twin lab ready on the dashboard row',
      60_000,
    )
    run.child.kill('SIGTERM')
    const result = await run.child
    expect(result.exitCode).toBe(0)
    expect(run.output()).toContain('Stopped.')
  }, 300_000)
})
