/**
 * What someone holding only the workshop code can do to the class: add rows up to the caps (per workshop and per
 * address) and no further, and report progress the course's own rules allow, nothing more. A forger's refused events
 * leave its row as it was and its link up; the join client shows each refusal with its code.
 */
import { describe, expect, it } from 'vitest'
import type { HubChapter } from '../../instructor/hub/course-outline.ts'
import { createHub, type Hub, type HubOptions } from '../../instructor/hub/create-hub.ts'
import { connectToHub, type HubConnection } from '../../instructor/join.ts'
import { hubPaths } from '../../protocol/hub.ts'
import { dashboardClient, rawSocket, recordingRunner, waitFor } from '../../support/hub-clients.ts'

const chapters: HubChapter[] = [
  {
    id: 'lab-setup',
    order: 1,
    title: 'Lab setup',
    steps: [{ id: 'kind-create' }],
    checks: ['nodes-ready', 'fabric-up'],
  },
  { id: 'cilium-bgp', order: 2, title: 'Cilium BGP', requires: ['lab-setup'], checks: ['peers-established'] },
  { id: 'lb-ipam', order: 3, title: 'LB IPAM', requires: ['cilium-bgp'], checks: ['pool-ready'] },
  { id: 'metallb', order: 4, title: 'MetalLB', requires: ['lb-ipam'], checks: ['speaker-up'] },
  { id: 'wrap-up', order: 5, title: 'Wrap-up', requires: ['metallb'], steps: [{ id: 'cleanup' }] },
]

/** A hub for one test, closed with every join client the test opened. */
async function withHub(
  options: Partial<HubOptions>,
  body: (hub: Hub, join: (name: string, token?: string) => HubConnection) => Promise<void>,
) {
  const hub = await createHub({ chapters, flushMs: 20, ...options })
  const connections: HubConnection[] = []
  const join = (name: string, token?: string) => {
    const connection = connectToHub({
      url: hub.url,
      code: hub.workshopCode,
      name,
      token,
      runner: recordingRunner().hooks,
      minBackoffMs: 10,
    })
    connections.push(connection)
    return connection
  }
  try {
    await body(hub, join)
  } finally {
    connections.forEach((c) => c.close())
    await hub.close()
  }
}

describe('hub rows', () => {
  it('refuses a forged "six chapters done, one of them not existing" and shows none of it', async () => {
    await withHub({}, async (hub) => {
      const forger = await rawSocket(hub.url, hubPaths.runner)
      forger.send({ type: 'hello', code: hub.workshopCode, name: 'Mallory' })
      const { learnerId } = (await waitFor(
        () => forger.messages.find((m) => (m as { type: string }).type === 'welcome'),
        'welcome',
      )) as { learnerId: string }
      const claimed = [...chapters.map((c) => c.id), 'chapter-six']
      for (const chapterId of claimed)
        forger.send({ type: 'event', event: { type: 'chapter-completed', at: 1, chapterId } })
      const refused = () =>
        forger.messages.filter(
          (m): m is { type: 'refused'; code: string; message: string } => (m as { type: string }).type === 'refused',
        )
      await waitFor(() => refused().length === claimed.length, 'a refusal for each claim')
      expect(refused().map((r) => r.code)).toEqual([...chapters.map(() => 'HUB_NOT_COMPLETED'), 'HUB_UNKNOWN_CHAPTER'])
      expect(refused()[0].message).toBe(
        'chapter "lab-setup" is not completed yet: missing check "nodes-ready" passed, check "fabric-up" passed',
      )
      expect(refused()[1].message).toMatch(/missing chapter "lab-setup" completed, check "peers-established" passed/)
      // A check the course does not have, and a step of another chapter, do not count either.
      forger.send({
        type: 'event',
        event: { type: 'check-finished', at: 2, chapterId: 'lab-setup', checkId: 'anything', ok: true },
      })
      forger.send({
        type: 'event',
        event: { type: 'step-finished', at: 2, chapterId: 'lab-setup', stepId: 'cleanup', ok: true, exitCode: 0 },
      })
      await waitFor(() => refused().length === claimed.length + 2, 'refusals for the unknown check and step')
      expect(
        refused()
          .slice(-2)
          .map((r) => r.code),
      ).toEqual(['HUB_UNKNOWN_CHECK', 'HUB_UNKNOWN_STEP'])

      const dash = await dashboardClient(hub.url, hub.instructorSecret)
      const row = await waitFor(() => dash.rows.get(learnerId), 'the row on the dashboard')
      expect(row).toMatchObject({ completedChapters: [], checksPassed: 0, chapterId: null, stepId: null })
      expect(hub.core.store.overview().map((c) => c.completed)).toEqual([0, 0, 0, 0, 0])
      // Refusals do not drop the link: the same socket still reports what the course has.
      forger.send({ type: 'event', event: { type: 'chapter-opened', at: 3, chapterId: 'lab-setup' } })
      await waitFor(() => dash.rows.get(learnerId)?.chapterId === 'lab-setup', 'a valid event counted')
      expect(forger.ws.readyState).toBe(forger.ws.OPEN)
    })
  })

  it('counts a chapter completed once the row reported its checks passing, chapter by chapter', async () => {
    await withHub({}, async (hub) => {
      const runner = recordingRunner()
      const refusals: string[] = []
      const connection = connectToHub({
        url: hub.url,
        code: hub.workshopCode,
        name: 'Ada',
        runner: runner.hooks,
        onRefused: (code) => refusals.push(code),
      })
      try {
        const { learnerId } = await connection.joined
        const check = (chapterId: string, checkId: string) =>
          runner.emit({ type: 'check-finished', at: 1, chapterId, checkId, ok: true })
        check('lab-setup', 'nodes-ready')
        check('lab-setup', 'fabric-up')
        runner.emit({ type: 'chapter-completed', at: 2, chapterId: 'lab-setup' })
        // Out of order: MetalLB's check passes before LB IPAM is completed in this row.
        check('metallb', 'speaker-up')
        runner.emit({ type: 'chapter-completed', at: 3, chapterId: 'metallb' })
        check('cilium-bgp', 'peers-established')
        runner.emit({ type: 'chapter-completed', at: 4, chapterId: 'cilium-bgp' })
        await waitFor(() => hub.core.store.get(learnerId)?.completedChapters.length === 2, 'two chapters completed')
        expect(hub.core.store.get(learnerId)?.completedChapters).toEqual(['lab-setup', 'cilium-bgp'])
        await waitFor(() => refusals.length === 1, 'the refusal reported to the learner')
        expect(refusals).toEqual(['HUB_NOT_COMPLETED'])
        expect(connection.state).toBe('joined')
      } finally {
        connection.close()
      }
    })
  })

  it("shows what the learner completed before joining, as the runner's store has it, held to the course's order", async () => {
    await withHub({}, async (hub) => {
      const runner = recordingRunner()
      runner.state.completed = ['lab-setup', 'cilium-bgp']
      const connection = connectToHub({ url: hub.url, code: hub.workshopCode, name: 'Ada', runner: runner.hooks })
      try {
        const { learnerId } = await connection.joined
        await waitFor(
          () => hub.core.store.get(learnerId)?.completedChapters.length === 2,
          'earlier chapters on the row',
        )
        expect(hub.core.store.get(learnerId)?.completedChapters).toEqual(['lab-setup', 'cilium-bgp'])
      } finally {
        connection.close()
      }

      const forger = await rawSocket(hub.url, hubPaths.runner)
      forger.send({ type: 'hello', code: hub.workshopCode, name: 'Mallory' })
      const { learnerId } = (await waitFor(
        () => forger.messages.find((m) => (m as { type: string }).type === 'welcome'),
        'welcome',
      )) as { learnerId: string }
      const refused = () =>
        forger.messages.filter(
          (m): m is { type: 'refused'; code: string; message: string } => (m as { type: string }).type === 'refused',
        )
      forger.send({ type: 'progress', completed: ['lab-setup', 'chapter-six'] })
      forger.send({ type: 'progress', completed: ['metallb'] })
      await waitFor(() => refused().length === 2, 'both snapshots refused')
      expect(refused().map((r) => r.code)).toEqual(['HUB_UNKNOWN_CHAPTER', 'HUB_NOT_COMPLETED'])
      expect(refused()[1].message).toBe('chapter "metallb" is not completed yet: missing chapter "lb-ipam" completed')
      expect(hub.core.store.get(learnerId)?.completedChapters).toEqual([])
    })
  })

  it("shows a learner's help request on the row until it is withdrawn or the chapter is completed", async () => {
    await withHub({}, async (hub) => {
      const runner = recordingRunner()
      const connection = connectToHub({ url: hub.url, code: hub.workshopCode, name: 'Ada', runner: runner.hooks })
      try {
        const { learnerId } = await connection.joined
        expect(runner.state.joined).toBe(true)
        const dash = await dashboardClient(hub.url, hub.instructorSecret)
        runner.emit({ type: 'help', at: 1, chapterId: 'lab-setup', asking: true, note: 'kind create hangs' })
        const asking = await waitFor(
          () => dash.rows.get(learnerId)?.help ?? undefined,
          'the help request on the dashboard',
        )
        expect(asking).toMatchObject({ chapterId: 'lab-setup', note: 'kind create hangs' })
        runner.emit({ type: 'help', at: 2, chapterId: 'lab-setup', asking: false })
        await waitFor(() => (dash.rows.get(learnerId)?.help === null ? true : undefined), 'the request withdrawn')
        runner.emit({ type: 'help', at: 3, chapterId: 'lab-setup', asking: true })
        for (const checkId of ['nodes-ready', 'fabric-up'])
          runner.emit({ type: 'check-finished', at: 4, chapterId: 'lab-setup', checkId, ok: true })
        runner.emit({ type: 'chapter-completed', at: 5, chapterId: 'lab-setup' })
        await waitFor(
          () =>
            hub.core.store.get(learnerId)?.completedChapters.includes('lab-setup') &&
            hub.core.store.get(learnerId)?.help === null
              ? true
              : undefined,
          'answered by the completion',
        )
      } finally {
        connection.close()
      }
      expect(runner.state.joined).toBe(false)
    })
  })

  it('refuses rows past the workshop cap, clearly, while a rejoin with a token keeps its row', async () => {
    await withHub({ maxLearners: 2 }, async (hub, join) => {
      const ada = await join('Ada').joined
      await join('Bo').joined
      const states: string[] = []
      const third = connectToHub({
        url: hub.url,
        code: hub.workshopCode,
        name: 'Cy',
        runner: recordingRunner().hooks,
        minBackoffMs: 10,
        onState: (s) => states.push(s),
      })
      try {
        await expect(third.joined).rejects.toThrow(/^refused: HUB_CLASS_FULL: the workshop has 2 learners/)
        expect(states).toEqual(['connecting', 'refused'])
      } finally {
        third.close()
      }
      // Ada's runner restarts and resumes with her token: the same row, no new one.
      const again = join('Ada', ada.token)
      expect((await again.joined).learnerId).toBe(ada.learnerId)
      expect(hub.core.store.list()).toHaveLength(2)
      // Removing a learner frees the place.
      await hub.core.remove(ada.learnerId)
      await expect(join('Cy').joined).resolves.toMatchObject({ learnerId: expect.any(String) })
    })
  })

  it('refuses rows past the per-address cap, and leaves loopback uncapped unless told', async () => {
    await withHub({ maxLearnersPerAddress: 2, uncappedAddresses: [] }, async (hub, join) => {
      await join('Ada').joined
      await join('Bo').joined
      await expect(join('Cy').joined).rejects.toThrow(
        /^refused: HUB_ADDRESS_FULL: 2 learners already joined from 127\.0\.0\.1/,
      )
      expect(hub.core.store.list().map((l) => l.name)).toEqual(['Ada', 'Bo'])
    })
    await withHub({ maxLearnersPerAddress: 2 }, async (hub, join) => {
      for (const name of ['Ada', 'Bo', 'Cy']) await join(name).joined
      expect(hub.core.store.list()).toHaveLength(3)
    })
  })

  it('counts every address of an IPv6 /64 as one machine, and an IPv4 address mapped into IPv6 as itself', async () => {
    await withHub({ maxLearnersPerAddress: 2 }, async (hub) => {
      hub.core.join('Ada', '2001:db8:1:2::1')
      hub.core.join('Bo', '2001:db8:1:2:ffff::7')
      expect(() => hub.core.join('Cy', '2001:db8:1:2:abcd::9')).toThrow(
        /^2 learners already joined from 2001:db8:1:2::\/64/,
      )
      hub.core.join('Cy', '2001:db8:1:3::1')
      hub.core.join('Dee', '::ffff:192.0.2.7')
      hub.core.join('Eli', '192.0.2.7')
      expect(() => hub.core.join('Fay', '::ffff:192.0.2.7')).toThrow(/already joined from 192\.0\.2\.7,/)
    })
  })
})
