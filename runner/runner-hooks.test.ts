import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LearnerEvent } from '../protocol/learner-event.ts'
import type { ServerEvent } from '../protocol/messages.ts'
import type { FixtureLab } from '../support/fixture-lab.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../support/fixture-runner.ts'
import { NodeLabClient } from '../toolchain/self-test/node-lab-client.ts'
import type { Runner } from './runner.ts'

let lab: FixtureLab
let runner: Runner
let fixtureRunner: FixtureRunner | undefined
beforeAll(async () => {
  // The lab comes up inside the test, so its status events reach the observer.
  fixtureRunner = await startFixtureRunnerWithLab({ labUp: false })
  ;({ lab, runner } = fixtureRunner)
})
afterAll(() => fixtureRunner?.stop())

it('feeds observers, mirrors a terminal read-only, applies the pace, notifies and reveals solutions', async () => {
  const events: LearnerEvent[] = []
  const stop = runner.addObserver({ onEvent: (e) => events.push(e) })
  await lab.up()
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await client.request({ type: 'run-step', chapterId: 'setup', stepId: 'write-config' })
    await client.waitFor(() => events.find((e) => e.type === 'step-finished'))
    lab.setState('service.state', 'running')
    await client.request({ type: 'check', chapterId: 'setup' })
    expect(events.map((e) => e.type)).toEqual([
      'lab-status',
      'lab-status',
      'chapter-opened',
      'step-finished',
      'check-finished',
      'check-finished',
      'chapter-completed',
    ])
    expect(events.find((e) => e.type === 'step-finished')).toMatchObject({
      chapterId: 'setup',
      stepId: 'write-config',
      ok: true,
      exitCode: 0,
    })

    let mirrored = ''
    const unmirror = runner.mirrorTerminal('main', (data) => (mirrored += data.toString()))
    expect(mirrored).toContain('mode=ready')
    client.send({ type: 'input', terminal: 'main', data: 'echo live-$((1+1))\n' })
    await client.waitFor(() => mirrored.includes('live-2') || undefined)
    unmirror()

    runner.setPace({ upToOrder: 1 })
    expect(await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })).toMatchObject({
      ok: false,
      code: 'LAB_CHAPTER_LOCKED',
      message: expect.stringContaining('instructor'),
    })
    runner.setPace(null)
    expect(await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })).toMatchObject({
      ok: true,
    })

    runner.notify({ kind: 'hint', text: 'look at service.state', from: 'Ada' })
    runner.revealSolution('routing')
    const notification = await client.waitFor(() =>
      client.events.find((e): e is Extract<ServerEvent, { type: 'notification' }> => e.type === 'notification'),
    )
    expect(notification.notification).toMatchObject({ kind: 'hint', text: 'look at service.state', from: 'Ada' })
    await client.waitFor(() =>
      client.events.some((e) => e.type === 'progress' && e.progress.chapters.routing.solutionRevealed),
    )
  } finally {
    stop()
    client.close()
  }
})

it('Solve types the chapter solution into the terminal, where it changes the lab', async () => {
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    lab.setState('service.state', 'stopped')
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    expect(await client.request({ type: 'solve', chapterId: 'setup' })).toMatchObject({ ok: true })
    await client.waitFor(() => client.tail('main', 4096).includes('echo running > service.state') || undefined)
    const result = await client.request({ type: 'check', chapterId: 'setup' })
    expect(result).toMatchObject({ ok: true, result: { ok: true } })
  } finally {
    client.close()
  }
})

it("sends a learner's help request to the workshop only while one is joined, and withdraws it when the chapter passes", async () => {
  const events: LearnerEvent[] = []
  const stop = runner.addObserver({ onEvent: (e) => events.push(e) })
  const client = await NodeLabClient.connect(runner.url, runner.token)
  const lastWorkshop = () =>
    client.events.filter((e): e is Extract<ServerEvent, { type: 'workshop' }> => e.type === 'workshop').at(-1)?.workshop
  try {
    const hello = await client.waitFor(() =>
      client.events.find((e): e is Extract<ServerEvent, { type: 'hello' }> => e.type === 'hello'),
    )
    expect(hello.workshop).toEqual({ joined: false, help: null })
    expect(await client.request({ type: 'ask-help', chapterId: 'setup', asking: true })).toMatchObject({
      ok: false,
      code: 'LAB_NO_WORKSHOP',
    })

    runner.setWorkshop(true)
    await client.waitFor(() => lastWorkshop()?.joined || undefined)
    lab.setState('service.state', 'stopped')
    expect(
      await client.request({ type: 'ask-help', chapterId: 'setup', asking: true, note: 'the service will not start' }),
    ).toMatchObject({ ok: true })
    expect(events.filter((e) => e.type === 'help')).toEqual([
      expect.objectContaining({ chapterId: 'setup', asking: true, note: 'the service will not start' }),
    ])
    await client.waitFor(() => lastWorkshop()?.help?.chapterId === 'setup' || undefined)

    // The chapter passing answers the request: withdrawn for the instructor and for every tab.
    lab.setState('service.state', 'running')
    expect(await client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({
      ok: true,
      result: { ok: true },
    })
    expect(events.filter((e) => e.type === 'help').at(-1)).toMatchObject({ chapterId: 'setup', asking: false })
    await client.waitFor(() => (lastWorkshop()?.help === null ? true : undefined))
  } finally {
    runner.setWorkshop(false)
    stop()
    client.close()
  }
})
