import { afterAll, beforeAll, expect, it } from 'vitest'
import { NodeLabClient } from '../../test/e2e/support/node-lab-client.ts'
import { startFixtureRunnerWithLab, type FixtureRunner } from '../../test/e2e/support/fixture-runner.ts'
import type { Runner } from '../runner.ts'

let runner: Runner
let fixtureRunner: FixtureRunner | undefined
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab()
  runner = fixtureRunner.runner
})
afterAll(() => fixtureRunner?.stop())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('stops reading the pty while the browser has not acknowledged 2 MB, and resumes on acks', async () => {
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    client.autoAck = false
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await client.waitFor(() => client.text().includes('lab$'))
    client.send({ type: 'input', terminal: 'main', data: 'yes 0123456789abcdef | head -c 6000000; echo FLOW-$((1+1))\n' })
    await sleep(1500)
    const stalled = client.bytes()
    await sleep(500)
    // Held at the high-water mark (plus what was in flight), far below the 6 MB the command prints.
    expect(client.bytes()).toBe(stalled)
    expect(stalled).toBeGreaterThan(2 * 1024 * 1024)
    expect(stalled).toBeLessThan(4 * 1024 * 1024)
    client.autoAck = true
    client.send({ type: 'ack', terminal: 'main', bytes: stalled })
    await client.waitFor(() => client.tail().includes('FLOW-2'), 60_000)
    expect(client.bytes()).toBeGreaterThan(6_000_000)
  } finally {
    client.close()
  }
})

it('stops holding a terminal for a tab that detaches (hidden), and replays to it when it attaches again', async () => {
  const hidden = await NodeLabClient.connect(runner.url, runner.token)
  const shown = await NodeLabClient.connect(runner.url, runner.token)
  try {
    // A background tab's xterm acknowledges slowly; here not at all.
    hidden.autoAck = false
    for (const client of [hidden, shown]) client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await shown.waitFor(() => shown.text().includes('lab$'))
    const start = shown.output.get('main')!.seq
    shown.send({ type: 'input', terminal: 'main', data: 'yes 0123456789abcdef | head -c 6000000; echo SHOWN-$((1+1))\n' })
    await sleep(1500)
    // Held for the tab that does not acknowledge: the one the learner reads stalls too.
    expect(shown.output.get('main')!.seq - start).toBeLessThan(4 * 1024 * 1024)
    hidden.send({ type: 'detach', terminal: 'main' })
    await shown.waitFor(() => shown.tail().includes('SHOWN-2'), 60_000)
    expect(shown.output.get('main')!.seq - start).toBeGreaterThan(6_000_000)
    const hiddenSeq = hidden.output.get('main')!.seq
    await sleep(300)
    // Nothing streamed to the detached tab.
    expect(hidden.output.get('main')!.seq).toBe(hiddenSeq)
    // Shown again: attached from the seq it has, it gets the rest (the last 2 MiB, after a reset: it missed more).
    hidden.autoAck = true
    hidden.send({ type: 'attach', terminal: 'main', fromSeq: hiddenSeq, cols: 80, rows: 24 })
    await hidden.waitFor(() => hidden.tail().includes('SHOWN-2'), 60_000)
    expect(hidden.output.get('main')!.seq).toBe(shown.output.get('main')!.seq)
  } finally {
    hidden.close()
    shown.close()
  }
})
