import { afterEach, expect, it } from 'vitest'
import type { LabStatusView, ServerEvent } from '../protocol/messages.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../support/fixture-runner.ts'
import { NodeLabClient } from '../toolchain/self-test/node-lab-client.ts'

let fixtureRunner: FixtureRunner | undefined
afterEach(() => fixtureRunner?.stop())

const labStates = (client: NodeLabClient) =>
  client.events
    .filter((e): e is Extract<ServerEvent, { type: 'lab-status' }> => e.type === 'lab-status')
    .map((e) => (e.lab as LabStatusView).state)

it('opening a chapter whose section needs another lab prepares it once, shown to the page as the lab starting again', async () => {
  // The fixture's `routing` section stands for the real lab's BGP v2 section, which rebuilds the cluster.
  fixtureRunner = await startFixtureRunnerWithLab({ lab: { sections: ['routing'] } })
  const { runner, lab } = fixtureRunner
  const asked: string[] = []
  const prepare = lab.prepareSection.bind(lab)
  lab.prepareSection = (section) => {
    asked.push(section)
    return prepare(section)
  }
  const client = await NodeLabClient.connect(runner.url, runner.token)
  try {
    await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })
    expect((await lab.exec('cat sections 2>/dev/null || echo none')).stdout).toBe('none')
    lab.setState('lab.conf', 'mode=ready')
    lab.setState('service.state', 'running')
    expect(await client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({
      ok: true,
      result: { ok: true },
    })

    await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })
    await client.waitFor(
      () => (labStates(client).at(-1) === 'ready' && labStates(client).includes('starting')) || undefined,
    )
    await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })
    await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })
    expect((await lab.exec('cat sections')).stdout).toBe('routing')
    // Asked once per section however often its chapters open; the page saw the lab start again once, then ready.
    expect(asked).toEqual(['setup', 'routing'])
    expect(labStates(client).filter((state, i, all) => state !== all[i - 1])).toEqual(['starting', 'ready'])
  } finally {
    client.close()
  }
})
