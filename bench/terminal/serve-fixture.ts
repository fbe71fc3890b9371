/**
 * A runner with a fixture lab in its own process, for the benchmark: the measuring process then plays the browser,
 * as in real use, instead of sharing one event loop with the runner. Prints `{ url, token }` as one JSON line and
 * stops on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { startFixtureRunner } from '../../support/fixture-site.ts'

const stateDir = mkdtempSync(join(tmpdir(), 'lab-bench-runner-'))
const lab = new FixtureLab()
await lab.up()
const runner = await startFixtureRunner(lab, stateDir)
console.log(JSON.stringify({ url: runner.url, token: runner.token }))
process.on('SIGTERM', async () => {
  await runner.close()
  await lab.down()
  rmSync(stateDir, { recursive: true, force: true })
  process.exit(0)
})
