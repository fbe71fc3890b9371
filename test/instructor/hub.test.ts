/**
 * The hub with real sockets on loopback: learners join through the join client, the dashboard sees their progress
 * and its controls reach the right runner, and only that one.
 */
import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { connectToHub } from '../../instructor/join.ts'
import { dashboardClient, recordingRunner, useHub, waitFor } from '../../support/hub-clients.ts'

const chapters = [
  { id: 'lab-setup', order: 1, title: 'Lab setup', steps: [{ id: 'kind-create' }], checks: ['nodes-ready'] },
  { id: 'cilium-bgp', order: 2, title: 'Cilium BGP' },
  { id: 'metallb', order: 3, title: 'MetalLB' },
]

const ctx = useHub({ chapters })

async function learner(name: string) {
  const runner = recordingRunner()
  const connection = connectToHub({
    url: ctx.hub.url,
    code: ctx.hub.workshopCode,
    name,
    runner: runner.hooks,
    minBackoffMs: 20,
  })
  ctx.connections.push(connection)
  const { learnerId, token } = await connection.joined
  return { runner, connection, learnerId, token }
}

describe('hub', () => {
  it("shows a learner's progress, failing check and reason on the dashboard", async () => {
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const ada = await learner('Ada')
    ada.runner.emit({ type: 'chapter-opened', at: 1, chapterId: 'lab-setup' })
    ada.runner.emit({
      type: 'step-finished',
      at: 2,
      chapterId: 'lab-setup',
      stepId: 'kind-create',
      ok: true,
      exitCode: 0,
    })
    ada.runner.emit({
      type: 'check-finished',
      at: 3,
      chapterId: 'lab-setup',
      checkId: 'nodes-ready',
      ok: false,
      reason: 'clab-bgp-control-plane is NotReady',
      output: 'NAME STATUS\nclab-bgp-control-plane NotReady',
    })
    const row = await waitFor(() => {
      const r = dash.rows.get(ada.learnerId)
      return r?.checksFailed === 1 && r
    }, 'the failing check on the dashboard')
    expect(row).toMatchObject({
      name: 'Ada',
      mode: 'local',
      connected: true,
      chapterId: 'lab-setup',
      stepId: 'kind-create',
    })
    expect(row.lastFailure).toMatchObject({ checkId: 'nodes-ready', reason: 'clab-bgp-control-plane is NotReady' })
  })

  it('paces the class and one learner; the gate reaches the runners', async () => {
    const ada = await learner('Ada')
    const bo = await learner('Bo')
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    expect(await dash.act({ type: 'pace', pace: { upToOrder: 1 } })).toMatchObject({ ok: true })
    await waitFor(() => ada.runner.state.pace?.upToOrder === 1 && bo.runner.state.pace?.upToOrder === 1, 'class pace')
    expect(await dash.act({ type: 'pace', learnerId: bo.learnerId, pace: { upToOrder: 2 } })).toMatchObject({
      ok: true,
    })
    await waitFor(() => bo.runner.state.pace?.upToOrder === 2, "Bo's pace")
    expect(ada.runner.state.pace).toEqual({ upToOrder: 1 })
    // A learner joining later starts under the class gate.
    const cy = await learner('Cy')
    await waitFor(() => cy.runner.state.pace?.upToOrder === 1, 'late joiner paced')
  })

  it('sends a broadcast to everyone and a hint to one learner only', async () => {
    const ada = await learner('Ada')
    const bo = await learner('Bo')
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    await dash.act({ type: 'broadcast', text: 'Break until 10:30' })
    await dash.act({ type: 'hint', learnerId: bo.learnerId, text: 'Check the peer ASN on leaf0' })
    await waitFor(() => bo.runner.state.notices.length === 2, 'Bo gets both')
    expect(bo.runner.state.notices.map((n) => [n.kind, n.text])).toEqual([
      ['broadcast', 'Break until 10:30'],
      ['hint', 'Check the peer ASN on leaf0'],
    ])
    await waitFor(() => ada.runner.state.notices.length === 1, 'Ada gets the broadcast')
    expect(ada.runner.state.notices[0].kind).toBe('broadcast')
  })

  it("mirrors a learner's terminal read-only to the dashboard, replay first", async () => {
    const ada = await learner('Ada')
    ada.runner.print('main', 'root@lab:~# kubectl get nodes\r\n')
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    await dash.act({ type: 'watch', learnerId: ada.learnerId, terminalId: 'main' })
    await waitFor(() => dash.terminal.join('').includes('kubectl get nodes'), 'replay on the dashboard')
    ada.runner.print('main', 'clab-bgp-worker Ready\r\n')
    await waitFor(() => dash.terminal.join('').includes('clab-bgp-worker Ready'), 'live output on the dashboard')
    await dash.act({ type: 'unwatch', learnerId: ada.learnerId, terminalId: 'main' })
    await waitFor(() => ada.runner.mirrors('main') === 0, 'mirror stopped at the runner')
    // There is no input message for a learner's terminal: trying one closes the dashboard socket, not the learner.
    dash.socket.send({ type: 'terminal-input', learnerId: ada.learnerId, data: 'rm -rf /\r' })
    expect((await dash.socket.closed).code).toBe(4400)
    expect(ada.connection.state).toBe('joined')
  })

  it('removes a learner: row gone, runner told and not reconnecting', async () => {
    const ada = await learner('Ada')
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    await waitFor(() => dash.rows.has(ada.learnerId), 'row')
    expect(await dash.act({ type: 'remove', learnerId: ada.learnerId })).toMatchObject({ ok: true })
    await waitFor(() => ada.connection.state === 'removed', 'runner removed')
    await waitFor(() => !dash.rows.has(ada.learnerId), 'row removed')
    expect(ctx.hub.core.learnerOfToken(ada.token)).toBeUndefined()
  })

  it('refuses to reset a local lab and names the reason', async () => {
    const ada = await learner('Ada')
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    expect(await dash.act({ type: 'reset', learnerId: ada.learnerId, chapterOrder: 2 })).toMatchObject({
      ok: false,
      code: 'HUB_RESET_LOCAL',
    })
    expect(await dash.act({ type: 'hint', learnerId: 'l-nobody', text: 'hi' })).toMatchObject({
      ok: false,
      code: 'HUB_UNKNOWN_LEARNER',
    })
  })

  it('resumes the same row after the connection drops, delivering events sent meanwhile', async () => {
    const ada = await learner('Ada')
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    // Cut the link from the hub's side, as a dropped network would.
    const runners = (ctx.hub.core as unknown as { runners: Map<string, WebSocket> }).runners
    runners.get(ada.learnerId)?.terminate()
    await waitFor(() => ada.connection.state !== 'joined', 'disconnect seen')
    ada.runner.emit({ type: 'check-finished', at: 4, chapterId: 'lab-setup', checkId: 'nodes-ready', ok: true })
    ada.runner.emit({ type: 'chapter-completed', at: 5, chapterId: 'lab-setup' })
    await waitFor(() => ada.connection.state === 'joined', 'rejoined')
    const row = await waitFor(
      () => dash.rows.get(ada.learnerId)?.completedChapters.includes('lab-setup') && dash.rows.get(ada.learnerId),
      'queued event',
    )
    expect(row.connected).toBe(true)
    expect(dash.rows.size).toBe(1)
  })
})
