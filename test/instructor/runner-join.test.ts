/**
 * The hub with real runners (createRunner) on the fixture lab and the fixture course: one learner joins with a local
 * runner, one gets a hosted runner+lab from the hub. Each learner's "browser" is the Node lab client speaking the
 * runner's own socket protocol, so what is asserted is what the learner's page would receive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hub } from '../../instructor/hub/create-hub.ts'
import { type HostedJoinResponse, hubPaths } from '../../protocol/hub.ts'
import type { ServerEvent } from '../../protocol/messages.ts'
import { type FixtureWorkshop, startFixtureWorkshop } from '../../support/fixture-workshop.ts'
import { dashboardClient, waitFor } from '../../support/hub-clients.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

let workshop: FixtureWorkshop
let hub: Hub
let local: FixtureWorkshop['local'] & { client: NodeLabClient }
let hosted: { join: HostedJoinResponse; client: NodeLabClient }

const notifications = (client: NodeLabClient) =>
  client.events
    .filter((e): e is Extract<ServerEvent, { type: 'notification' }> => e.type === 'notification')
    .map((e) => e.notification)

beforeAll(async () => {
  workshop = await startFixtureWorkshop({ localName: 'Lena (local)', hub: { flushMs: 50 } })
  hub = workshop.hub
  local = {
    ...workshop.local,
    client: await NodeLabClient.connect(workshop.local.runner.url, workshop.local.runner.token),
  }
  const response = await fetch(`${hub.url}${hubPaths.join}`, {
    method: 'POST',
    body: JSON.stringify({ code: hub.workshopCode, name: 'Hugo (hosted)' }),
  })
  const joined = (await response.json()) as HostedJoinResponse
  const url = new URL(joined.labUrl)
  hosted = { join: joined, client: await NodeLabClient.connect(url.origin, url.searchParams.get('token')!) }
})

afterAll(async () => {
  local?.client.close()
  hosted?.client.close()
  await workshop?.close()
})

describe('instructor hub with real runners', () => {
  it("shows a local learner's steps and failing check on the dashboard", async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    const { client } = local
    await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
    await client.waitFor(() => client.text().includes('lab$ '))
    await client.request({ type: 'run-step', chapterId: 'setup', stepId: 'write-config' })
    // Run returns once the command is typed; the check must wait for the step to finish.
    await client.waitFor(() => client.events.some((e) => e.type === 'step-result'))
    await client.request({ type: 'check', chapterId: 'setup' })
    const row = await waitFor(
      () => {
        const r = dash.rows.get(local.learnerId)
        return r?.lastFailure ? r : undefined
      },
      'the failing check on the dashboard',
      10_000,
    )
    expect(row).toMatchObject({
      chapterId: 'setup',
      stepId: 'write-config',
      stepOk: true,
      checksPassed: 1,
      checksFailed: 1,
    })
    expect(row.lastFailure).toMatchObject({
      checkId: 'service-running',
      reason: 'The service is not running; start it with ./start-service.',
    })
  })

  it("mirrors the learner's terminal, replay included, to the dashboard", async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    await dash.act({ type: 'watch', learnerId: local.learnerId, terminalId: 'main' })
    await waitFor(() => dash.terminal.join('').includes('mode=ready'), 'replayed output', 5000)
    local.client.send({ type: 'input', terminal: 'main', data: 'echo mirrored-$((6*7))\n' })
    await waitFor(() => dash.terminal.join('').includes('mirrored-42'), 'live output', 5000)
  })

  it('paces the learner: the runner refuses a chapter past the gate even once its requirements pass', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    local.lab.setState('service.state', 'running\n')
    expect(await local.client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({
      ok: true,
      result: { ok: true },
    })
    await dash.act({ type: 'pace', pace: { upToOrder: 1 } })
    await waitFor(() => hub.core.store.get(local.learnerId)?.pace?.upToOrder === 1, 'pace applied')
    const locked = await local.client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })
    expect(locked).toMatchObject({ ok: false, code: 'LAB_CHAPTER_LOCKED' })
    await dash.act({ type: 'pace', pace: null })
    await new Promise((r) => setTimeout(r, 200))
    expect(await local.client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })).toMatchObject({
      ok: true,
    })
  })

  it('delivers a broadcast to both learners and a hint only to one', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    await dash.act({ type: 'broadcast', text: 'Ten minutes left in this section' })
    await dash.act({ type: 'hint', learnerId: hosted.join.learnerId, text: 'Write lab.conf first' })
    await hosted.client.waitFor(() => notifications(hosted.client).length === 2)
    expect(notifications(hosted.client).map((n) => [n.kind, n.text])).toEqual([
      ['broadcast', 'Ten minutes left in this section'],
      ['hint', 'Write lab.conf first'],
    ])
    await local.client.waitFor(() => notifications(local.client).length === 1)
    expect(notifications(local.client)[0]).toMatchObject({ kind: 'broadcast', from: 'instructor' })
  })

  it("reveals a chapter's solution to one learner only", async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    const revealed = (client: NodeLabClient) =>
      client.events.some((e) => e.type === 'progress' && e.progress.chapters.routing?.solutionRevealed)
    expect(await dash.act({ type: 'reveal', learnerId: local.learnerId, chapterId: 'routing' })).toMatchObject({
      ok: true,
    })
    await local.client.waitFor(() => revealed(local.client))
    expect(revealed(hosted.client)).toBe(false)
    expect(await dash.act({ type: 'reveal', chapterId: 'no-such-chapter' })).toMatchObject({
      ok: false,
      code: 'HUB_UNKNOWN_CHAPTER',
    })
  })

  it("keeps each learner to their own lab: another runner's token or the learner token do not open a hosted runner", async () => {
    const hostedOrigin = new URL(hosted.join.labUrl).origin
    await expect(NodeLabClient.connect(hostedOrigin, local.runner.token)).rejects.toThrow('refused: 401')
    await expect(NodeLabClient.connect(hostedOrigin, hosted.join.token)).rejects.toThrow('refused: 401')
    await expect(
      NodeLabClient.connect(local.runner.url, new URL(hosted.join.labUrl).searchParams.get('token')!),
    ).rejects.toThrow('refused: 401')
  })

  it('resets the hosted learner to the start of a chapter on a fresh lab, same address and token', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    await waitFor(() => dash.rows.get(hosted.join.learnerId)?.mode === 'hosted', 'hosted row')
    const firstLab = workshop.hostedLabs[0]
    expect(await dash.act({ type: 'reset', learnerId: hosted.join.learnerId, chapterOrder: 2 })).toMatchObject({
      ok: true,
    })
    expect(workshop.hostedLabs).toHaveLength(2)
    expect(firstLab.status().state).toBe('stopped')
    const row = await waitFor(
      () => dash.rows.get(hosted.join.learnerId)?.chapterId === 'routing' && dash.rows.get(hosted.join.learnerId),
      'row at chapter 2',
    )
    expect(row).toMatchObject({ connected: true, completedChapters: ['setup'], checksFailed: 0 })
    // The learner's page reconnects to the same URL with the same token: chapter 1 was replayed and confirmed by its
    // checks, so chapter 2 is open at once, and chapter 1's checks pass on the fresh lab.
    const url = new URL(hosted.join.labUrl)
    const client = await NodeLabClient.connect(url.origin, url.searchParams.get('token')!)
    try {
      expect(await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })).toMatchObject({
        ok: true,
      })
      expect(await client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({
        ok: true,
        result: { ok: true },
      })
    } finally {
      client.close()
    }
  })
})
