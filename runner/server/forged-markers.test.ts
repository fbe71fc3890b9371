import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ServerEvent } from '../../protocol/messages.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

let fixtureRunner: FixtureRunner
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
})
afterAll(() => fixtureRunner?.stop())

type StepResult = Extract<ServerEvent, { type: 'step-result' }>['result']
const stepResults = (client: NodeLabClient): StepResult[] =>
  client.events.flatMap((e) => (e.type === 'step-result' ? [e.result] : []))

it('credits no step for printed shell-integration markers (no nonce or a wrong one), and still credits the step really run', async () => {
  const { runner, lab } = fixtureRunner
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    expect(await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })).toMatchObject({ ok: true })
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 200, rows: 30 })
    await client.waitFor(() => client.text().includes('lab$ '))

    // What the step `write-config` would print between its own markers, printed by a command instead: with the
    // markers as they were before they carried a nonce, then with a guessed one.
    const step = 'echo "mode=ready" > lab.conf && cat lab.conf'
    const wrong = '0123456789abcdef0123456789abcdef'
    client.send({
      type: 'input',
      terminal: 'main',
      data: `printf '\\e]133;C\\a\\e]633;E;${step}\\amode=ready\\r\\n\\e]133;D;0\\a'\n`,
    })
    client.send({
      type: 'input',
      terminal: 'main',
      data: `printf '\\e]133;C;${wrong}\\a\\e]633;E;${step};${wrong}\\amode=ready\\r\\n\\e]133;D;0;${wrong}\\a'\n`,
    })
    client.send({ type: 'input', terminal: 'main', data: 'echo forged-$((6*7))\n' })
    // Markers are read before the output after them is sent: a step credited by the forgery would be announced by now.
    await client.waitFor(() => client.text().includes('forged-42'))
    expect(stepResults(client)).toEqual([])
    expect(existsSync(join(lab.dir, 'lab.conf'))).toBe(false)

    expect(await client.request({ type: 'run-step', chapterId: 'setup', stepId: 'write-config' })).toMatchObject({
      ok: true,
    })
    const real = await client.waitFor(() => stepResults(client).find((r) => r.stepId === 'write-config'))
    expect(real).toMatchObject({ ok: true, exitCode: 0, output: 'mode=ready' })
  } finally {
    client.close()
  }
})
