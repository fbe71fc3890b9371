import { afterAll, beforeAll, expect, it } from 'vitest'
import { chapterSchema } from '../../protocol/course.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../../support/fixture-runner.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'
import type { Runner } from '../runner.ts'

let runner: Runner
let fixtureRunner: FixtureRunner | undefined
beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab({ extraChapters: [moreTerminals] })
  runner = fixtureRunner.runner
})
afterAll(() => fixtureRunner?.stop())

/** More terminals: `side`, whose commands show the runner kept reading ptys and sending frames meanwhile; `held`. */
const moreTerminals = chapterSchema.parse({
  id: 'side',
  order: 9,
  title: { en: 'Side', zh: 'Side' },
  terminals: [{ id: 'main' }, { id: 'side' }, { id: 'held' }],
})

/**
 * Runs a command to its prompt in the side terminal: a shell round trip of many pty reads and frames, over which a
 * main pty that is still read would have sent more. The command sleeps 100 ms first, well past the runner's batch
 * window (OutputBatcher, 5 ms): output read before the pause may still sit in a batch of the watched terminal while
 * a quicker round trip on the side terminal, batched apart, comes back (measured: 6 reads of 4,095 bytes arriving
 * after such a round trip, with no pty read while paused).
 */
let sideRuns = 0
async function sideRoundTrip(client: NodeLabClient): Promise<void> {
  const n = ++sideRuns
  client.send({ type: 'attach', terminal: 'side', fromSeq: client.output.get('side')?.seq ?? 0, cols: 80, rows: 24 })
  client.send({ type: 'input', terminal: 'side', data: `sleep 0.1; echo SIDE-$((${n}*1000))\n` })
  await client.waitFor(() => new RegExp(`SIDE-${n * 1000}[^]*lab\\$ `).test(client.text('side')))
}

it('stops reading the pty while the browser has not acknowledged 2 MB, and resumes on acks', async () => {
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    client.autoAck = false
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await client.waitFor(() => client.text().includes('lab$'))
    client.send({
      type: 'input',
      terminal: 'main',
      data: 'yes 0123456789abcdef | head -c 6000000; echo FLOW-$((1+1))\n',
    })
    await client.waitFor(() => client.bytes() > 2 * 1024 * 1024)
    await sideRoundTrip(client)
    const stalled = client.bytes()
    await sideRoundTrip(client)
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
  // A terminal of its own, so no replay of the test before fills the hidden tab's window first.
  const terminal = 'held'
  const seqOf = (client: NodeLabClient) => client.output.get(terminal)?.seq ?? 0
  try {
    // A background tab's xterm acknowledges slowly; here not at all.
    hidden.autoAck = false
    for (const client of [hidden, shown]) client.send({ type: 'attach', terminal, fromSeq: 0, cols: 80, rows: 24 })
    await shown.waitFor(() => shown.text(terminal).includes('lab$'))
    const start = seqOf(shown)
    shown.send({ type: 'input', terminal, data: 'yes 0123456789abcdef | head -c 6000000; echo SHOWN-$((1+1))\n' })
    await shown.waitFor(() => seqOf(shown) - start > 2 * 1024 * 1024)
    await sideRoundTrip(shown)
    const stalled = seqOf(shown)
    await sideRoundTrip(shown)
    // Held for the tab that does not acknowledge: the one the learner reads stalls too.
    expect(seqOf(shown)).toBe(stalled)
    expect(stalled - start).toBeLessThan(4 * 1024 * 1024)
    hidden.send({ type: 'detach', terminal })
    // The reply comes after the detach was done and after every frame sent to this tab before it.
    await hidden.request({ type: 'open-chapter', chapterId: 'side', locale: 'en' })
    const hiddenSeq = seqOf(hidden)
    await shown.waitFor(() => shown.tail(terminal).includes('SHOWN-2'), 60_000)
    expect(seqOf(shown) - start).toBeGreaterThan(6_000_000)
    // Nothing streamed to the detached tab, up to a reply sent after all of the command's output.
    await hidden.request({ type: 'open-chapter', chapterId: 'side', locale: 'en' })
    expect(seqOf(hidden)).toBe(hiddenSeq)
    // Shown again: attached from the seq it has, it gets the rest (the last 2 MiB, after a reset: it missed more).
    hidden.autoAck = true
    hidden.send({ type: 'attach', terminal, fromSeq: hiddenSeq, cols: 80, rows: 24 })
    await hidden.waitFor(() => hidden.tail(terminal).includes('SHOWN-2'), 60_000)
    expect(seqOf(hidden)).toBe(seqOf(shown))
  } finally {
    hidden.close()
    shown.close()
  }
})
