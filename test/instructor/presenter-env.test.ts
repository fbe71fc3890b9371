/**
 * The presenter's shell shows its output to every follower, that is to anyone with the workshop code: the hub's
 * secrets must not be in its environment, where an `env` typed while presenting would print them to the class.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createPresenterTerminal, type PresenterTerminal } from '../../instructor/presenter-terminal.ts'
import { waitFor } from '../../support/hub-clients.ts'

const SECRETS = { INSTRUCTOR_SECRET: 'instructor-secret-from-the-deployment', WORKSHOP_CODE: 'PINNED-CODE1' }
let presenter: PresenterTerminal | undefined
const saved = { ...process.env }

beforeEach(() => Object.assign(process.env, SECRETS))
afterEach(() => {
  presenter?.close()
  for (const name of Object.keys(SECRETS)) if (!(name in saved)) delete process.env[name]
})

it('starts the presenter shell without the hub secrets a deployment passes in its environment', async () => {
  presenter = createPresenterTerminal({ shell: 'bash', args: ['--norc', '--noprofile', '-i'] })
  let seen = ''
  presenter.onData((data) => {
    seen += data
  })
  presenter.write('env; echo env-$((6*7))-done\r')
  await waitFor(() => seen.includes('env-42-done'), 'the env listing', 10_000)
  expect(seen).toContain('PATH=')
  expect(seen).not.toContain(SECRETS.INSTRUCTOR_SECRET)
  expect(seen).not.toContain(SECRETS.WORKSHOP_CODE)
})
