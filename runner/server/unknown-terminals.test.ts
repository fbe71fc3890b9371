/**
 * Attaches to terminal ids no chapter has, as many as a tab can send: each is refused, and none may stay in the
 * runner's memory (each one used to stay, about 170 bytes, so a tab could grow a hub's hosted runner without limit).
 */

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { until } from '../../support/lab-helpers.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

// A full collection before each measure, so the heap holds what is still referenced and nothing else.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heap = () => {
  gc()
  return process.memoryUsage().heapUsed
}

let fixtureRunner: FixtureRunner
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(async () => {
  await fixtureRunner?.stop()
})

it('keeps nothing of 200,000 refused terminal ids', async () => {
  const { runner } = fixtureRunner
  const tab = await NodeLabClient.connect(runner.url, runner.token)
  let refused = 0
  tab.socket.on('message', (data, isBinary) => {
    if (!isBinary && JSON.parse(data.toString()).code === 'LAB_UNKNOWN_TERMINAL') refused++
  })
  const before = heap()
  const pad = 'x'.repeat(90)
  for (let i = 0; i < 200_000; i++) {
    tab.socket.send(`{"type":"attach","terminal":"${pad}-${i}","fromSeq":0,"cols":80,"rows":24}`)
    if (i % 1000 === 0) await until('the runner to catch up', () => refused >= i - 5000)
  }
  await until('every id to be refused', () => refused === 200_000, { timeoutMs: 60_000 })
  // The ids alone are 19 MB; kept with their map entries they were about 34 MB.
  expect((heap() - before) / 1e6).toBeLessThan(8)
  tab.close()
}, 120_000)
