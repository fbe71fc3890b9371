/**
 * A tab that reads nothing from its socket while it keeps asking for a terminal's replay: each 64-byte attach made the
 * runner queue the whole replay again, without limit. The runner now drops such a socket; other tabs keep working.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

let fixtureRunner: FixtureRunner
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(async () => {
  await fixtureRunner?.stop()
})

it('drops a tab that asks for replays it never reads, and keeps serving the others', async () => {
  const { runner } = fixtureRunner
  const tab = await NodeLabClient.connect(runner.url, runner.token)
  tab.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
  tab.send({
    type: 'input',
    terminal: 'main',
    data: 'head -c 300000 /dev/zero | tr "\\0" x; echo; echo done-$((6*7))\r',
  })
  await tab.waitFor(() => tab.tail().includes('done-42'))

  // From here the tab reads nothing, and asks for the replay (about 300 KB) 400 times: 120 MB if all were queued.
  tab.socket.pause()
  let closed = false
  tab.socket.once('close', () => (closed = true))
  tab.socket.on('error', () => undefined)
  const attach = JSON.stringify({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
  for (let i = 0; i < 400 && !closed; i++) {
    tab.socket.send(attach)
    await new Promise((resolve) => setImmediate(resolve))
  }
  expect(closed).toBe(true)

  const other = await NodeLabClient.connect(runner.url, runner.token)
  other.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
  other.send({ type: 'input', terminal: 'main', data: 'echo after-$((6*8))\r' })
  await other.waitFor(() => other.tail().includes('after-48'))
  other.close()
})
