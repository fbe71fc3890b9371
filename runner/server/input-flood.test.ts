/**
 * Input sent into a terminal whose program does not read it (a `sleep` in the foreground): the kernel takes a few KiB,
 * node-pty queued the rest in the runner's memory without limit, so one tab could grow the runner (a hub's, with every
 * hosted lab in it) until it ran out. The runner now refuses input past a bound, and keeps serving.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { until } from '../../support/lab-helpers.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'
import { INPUT_PENDING_MAX } from '../terminal/pty-session.ts'

let fixtureRunner: FixtureRunner
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(async () => {
  await fixtureRunner?.stop()
})

it('refuses input past a bound while the program in the terminal reads none, and keeps serving', async () => {
  const { runner } = fixtureRunner
  const tab = await NodeLabClient.connect(runner.url, runner.token)
  tab.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
  tab.send({ type: 'input', terminal: 'main', data: 'sleep 600\r' })
  await tab.waitFor(() => tab.text().includes('sleep 600'))

  const piece = `${'a'.repeat(63)}\n`.repeat(1024)
  let refused: { code: string; message: string } | undefined
  tab.socket.on('message', (data, isBinary) => {
    const message = isBinary ? undefined : JSON.parse(data.toString())
    if (message?.type === 'reply' && !message.ok) refused ??= message
  })
  // Four times the bound, unless refused first (the only reply input gets is a refusal).
  for (let sent = 0; !refused && sent < 4 * INPUT_PENDING_MAX; sent += piece.length) {
    tab.send({ type: 'input', terminal: 'main', data: piece })
    while (tab.socket.bufferedAmount > 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 1))
  }
  await until('a refusal', () => refused)
  expect(refused).toMatchObject({
    code: 'LAB_INPUT_FULL',
    terminal: 'main',
    message: expect.stringContaining('terminal main'),
  })

  // The runner still answers: a check runs.
  const reply = await tab.request({ type: 'check', chapterId: 'setup' })
  expect(reply).toMatchObject({ type: 'reply', ok: true })
  tab.close()
})
