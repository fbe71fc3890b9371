/**
 * The hub with real runners (createRunner) on the fixture lab and the fixture course: one learner joins with a local
 * runner, one gets a hosted runner+lab from the hub. Each learner's "browser" is the Node lab client speaking the
 * runner's own socket protocol, so what is asserted is what the learner's page would receive.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hubPaths, type HostedJoinResponse } from '../../protocol/hub.ts'
import type { ServerEvent } from '../../protocol/messages.ts'
import { FixtureLab } from '../../lab/fixture/fixture-backend.ts'
import { readCourse } from '../../runner/course/load-course.ts'
import { createRunner, type Runner } from '../../runner/runner.ts'
import { createHub, type Hub } from '../../instructor/hub/create-hub.ts'
import { connectToHub, type HubConnection } from '../../instructor/join.ts'
import { HostedLabManager } from '../../instructor/hosted/hosted-lab-manager.ts'
import { runnerLabStarter } from '../../instructor/hosted/start-runner-lab.ts'
import { NodeLabClient } from '../e2e/support/node-lab-client.ts'
import { dashboardClient, waitFor } from './hub-clients.ts'

const { course } = readCourse('test/fixtures/course/steps')
const root = mkdtempSync(join(tmpdir(), 'hub-runner-join-'))
const labs: FixtureLab[] = []
let hub: Hub
let local: { lab: FixtureLab; runner: Runner; connection: HubConnection; learnerId: string; client: NodeLabClient }
let hosted: { join: HostedJoinResponse; client: NodeLabClient }

const notifications = (client: NodeLabClient) =>
  client.events.filter((e): e is Extract<ServerEvent, { type: 'notification' }> => e.type === 'notification').map((e) => e.notification)

beforeAll(async () => {
  hub = await createHub({ chapters: course.chapters.map((c) => ({ id: c.id, order: c.order, title: c.title.en })), flushMs: 50 })
  const manager = new HostedLabManager({
    hubUrl: hub.url,
    workshopCode: hub.workshopCode,
    chapters: course.chapters,
    onJoined: (id) => hub.core.markHosted(id),
    onExpired: (id) => void hub.core.remove(id),
    start: runnerLabStarter({
      course,
      stateRoot: root,
      host: '127.0.0.1',
      createLab: async () => {
        const lab = new FixtureLab()
        labs.push(lab)
        return lab
      },
    }),
  })
  hub.setHosted(manager)

  const lab = new FixtureLab()
  await lab.up()
  const runner = await createRunner({ lab, course, stateDir: join(root, 'local') })
  const connection = connectToHub({ url: hub.url, code: hub.workshopCode, name: 'Lena (local)', runner })
  const { learnerId } = await connection.joined
  local = { lab, runner, connection, learnerId, client: await NodeLabClient.connect(runner.url, runner.token) }

  const response = await fetch(`${hub.url}${hubPaths.join}`, { method: 'POST', body: JSON.stringify({ code: hub.workshopCode, name: 'Hugo (hosted)' }) })
  const joined = (await response.json()) as HostedJoinResponse
  const url = new URL(joined.labUrl)
  hosted = { join: joined, client: await NodeLabClient.connect(url.origin, url.searchParams.get('token')!) }
})

afterAll(async () => {
  local?.client.close()
  hosted?.client.close()
  local?.connection.close()
  await local?.runner.close()
  await local?.lab.down()
  await hub?.close()
  for (const lab of labs) await lab.down()
  rmSync(root, { recursive: true, force: true })
})

describe('instructor hub with real runners', () => {
  it('shows a local learner\'s steps and failing check on the dashboard', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    const { client } = local
    await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })
    client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
    await client.waitFor(() => client.text().includes('lab$ '))
    await client.request({ type: 'run-step', chapterId: 'setup', stepId: 'write-config' })
    await client.request({ type: 'check', chapterId: 'setup' })
    const row = await waitFor(() => {
      const r = dash.rows.get(local.learnerId)
      return r?.lastFailure ? r : undefined
    }, 'the failing check on the dashboard', 10_000)
    expect(row).toMatchObject({ chapterId: 'setup', stepId: 'write-config', stepOk: true, checksPassed: 1, checksFailed: 1 })
    expect(row.lastFailure).toMatchObject({ checkId: 'service-running', reason: 'The service is not running; start it with ./start-service.' })
  })

  it('mirrors the learner\'s terminal, replay included, to the dashboard', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    await dash.act({ type: 'watch', learnerId: local.learnerId, terminalId: 'main' })
    await waitFor(() => dash.terminal.join('').includes('mode=ready'), 'replayed output', 5000)
    local.client.send({ type: 'input', terminal: 'main', data: 'echo mirrored-$((6*7))\n' })
    await waitFor(() => dash.terminal.join('').includes('mirrored-42'), 'live output', 5000)
  })

  it('paces the learner: the runner refuses a chapter past the gate even once its requirements pass', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    local.lab.setState('service.state', 'running\n')
    expect(await local.client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({ ok: true, result: { ok: true } })
    await dash.act({ type: 'pace', pace: { upToOrder: 1 } })
    await waitFor(() => hub.core.store.get(local.learnerId)?.pace?.upToOrder === 1, 'pace applied')
    const locked = await local.client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })
    expect(locked).toMatchObject({ ok: false, code: 'LAB_CHAPTER_LOCKED' })
    await dash.act({ type: 'pace', pace: null })
    await new Promise((r) => setTimeout(r, 200))
    expect(await local.client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })).toMatchObject({ ok: true })
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

  it('resets the hosted learner to the start of a chapter on a fresh lab, same address and token', async () => {
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    await waitFor(() => dash.rows.get(hosted.join.learnerId)?.mode === 'hosted', 'hosted row')
    const firstLab = labs[0]
    expect(await dash.act({ type: 'reset', learnerId: hosted.join.learnerId, chapterOrder: 2 })).toMatchObject({ ok: true })
    expect(labs).toHaveLength(2)
    expect(firstLab.status().state).toBe('stopped')
    const row = await waitFor(() => dash.rows.get(hosted.join.learnerId)?.chapterId === 'routing' && dash.rows.get(hosted.join.learnerId), 'row at chapter 2')
    expect(row).toMatchObject({ connected: true, completedChapters: ['setup'], checksFailed: 0 })
    // The learner's page reconnects to the same URL with the same token: chapter 1 was replayed and confirmed by its
    // checks, so chapter 2 is open at once, and chapter 1's checks pass on the fresh lab.
    const url = new URL(hosted.join.labUrl)
    const client = await NodeLabClient.connect(url.origin, url.searchParams.get('token')!)
    try {
      expect(await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'en' })).toMatchObject({ ok: true })
      expect(await client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({ ok: true, result: { ok: true } })
    } finally {
      client.close()
    }
  })
})
