/**
 * What the hub refuses: each credential opens only its own door, a learner cannot act as the instructor, and a
 * malformed, oversized or hostile frame closes only the socket that sent it.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createHub } from '../../instructor/hub/create-hub.ts'
import { connectToHub, hubSocketUrl } from '../../instructor/join.ts'
import { HUB_MAX_MESSAGE_BYTES, hubPaths } from '../../protocol/hub.ts'
import { dashboardClient, rawSocket, recordingRunner, useHub, waitFor } from '../../support/hub-clients.ts'

const chapters = [{ id: 'lab-setup', order: 1, title: 'Lab setup' }]
const ctx = useHub({ chapters })

async function joinedRunner(name = 'Ada') {
  const socket = await rawSocket(ctx.hub.url, hubPaths.runner)
  socket.send({ type: 'hello', code: ctx.hub.workshopCode, name })
  const welcome = (await waitFor(
    () => socket.messages.find((m) => (m as { type: string }).type === 'welcome'),
    'welcome',
  )) as { learnerId: string; token: string }
  return { socket, ...welcome }
}

describe('hub credentials', () => {
  it('issues three distinct secrets', async () => {
    const { token } = await joinedRunner()
    const all = new Set([ctx.hub.instructorSecret, ctx.hub.workshopCode, token])
    expect(all.size).toBe(3)
    expect(ctx.hub.dashboardLink).toContain('#secret=')
    expect(ctx.hub.joinLink).not.toContain(ctx.hub.instructorSecret)
  })

  it('refuses the dashboard with the workshop code or a learner token', async () => {
    const { token } = await joinedRunner()
    for (const secret of [ctx.hub.workshopCode, token, 'guess']) {
      const socket = await rawSocket(ctx.hub.url, hubPaths.dashboard)
      socket.send({ type: 'auth', secret })
      expect(await socket.closed).toMatchObject({ code: 4401 })
      expect(socket.messages).toEqual([])
    }
  })

  it('refuses to join with the instructor secret or a wrong code, and to resume with a forged token', async () => {
    for (const message of [
      { type: 'hello', code: ctx.hub.instructorSecret, name: 'Eve' },
      { type: 'hello', code: 'AAAAA-AAAAA', name: 'Eve' },
      { type: 'resume', token: 'l-000000000000.forged' },
    ]) {
      const socket = await rawSocket(ctx.hub.url, hubPaths.runner)
      socket.send(message)
      expect((await socket.closed).code).toBe(4401)
    }
    expect(ctx.hub.core.store.list()).toEqual([])
  })

  it('refuses every workshop code, the right one too, from an address past 30 wrong ones, and no other address', async () => {
    const wrongFrom = async (address: string) => {
      const socket = await rawSocket(ctx.hub.url, hubPaths.runner, undefined, address)
      socket.send({ type: 'hello', code: 'AAAAA-AAAAA', name: 'Eve' })
      return socket.closed
    }
    for (let i = 0; i < 29; i++) expect((await wrongFrom('127.0.0.3')).reason).toMatch(/^HUB_BAD_CODE/)
    // A follower's wrong code counts too: this is the 30th.
    const follower = await rawSocket(ctx.hub.url, hubPaths.follow, undefined, '127.0.0.3')
    follower.send({ type: 'auth', secret: 'AAAAA-AAAAA' })
    expect((await follower.closed).reason).toMatch(/^HUB_UNAUTHORIZED/)
    for (const [path, message] of [
      [hubPaths.runner, { type: 'hello', code: ctx.hub.workshopCode, name: 'Eve' }],
      [hubPaths.follow, { type: 'auth', secret: ctx.hub.workshopCode }],
    ] as const) {
      const socket = await rawSocket(ctx.hub.url, path, undefined, '127.0.0.3')
      socket.send(message)
      const closed = await socket.closed
      expect(closed.code).toBe(4401)
      expect(closed.reason).toMatch(/^HUB_TOO_MANY_CODES: 30 wrong workshop codes from this address within 60 s/)
    }
    expect(ctx.hub.core.store.list()).toEqual([])
    const other = await rawSocket(ctx.hub.url, hubPaths.runner, undefined, '127.0.0.4')
    other.send({ type: 'hello', code: ctx.hub.workshopCode, name: 'Ada' })
    await waitFor(() => other.messages.find((m) => (m as { type: string }).type === 'welcome'), 'welcome')
  })

  it('refuses instructor actions from a learner and keeps everyone else working', async () => {
    const runner = recordingRunner()
    const bo = connectToHub({ url: ctx.hub.url, code: ctx.hub.workshopCode, name: 'Bo', runner: runner.hooks })
    ctx.connections.push(bo)
    await bo.joined
    const eve = await joinedRunner('Eve')
    eve.socket.send({ type: 'pace', pace: { upToOrder: 0 } })
    expect((await eve.socket.closed).code).toBe(4400)
    // The gate did not move for anyone: Bo's runner only ever got the initial (open) pace.
    expect(runner.state.pace).toBeNull()
    const eve2 = await joinedRunner('Eve')
    eve2.socket.send({ type: 'broadcast', text: 'free pizza' })
    expect((await eve2.socket.closed).code).toBe(4400)
    expect(runner.state.notices).toEqual([])
    expect(bo.state).toBe('joined')
  })

  it('closes only the socket that sent a malformed, binary or oversized frame', async () => {
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { socket: good } = await joinedRunner('Good')
    const cases: Array<[string | Buffer, number]> = [
      ['{not json', 4400],
      [Buffer.from([1, 2, 3]), 4400],
      [JSON.stringify({ type: 'event', event: { type: 'chapter-opened', at: -1, chapterId: 'x' } }), 4400],
      [JSON.stringify({ type: 'mirror-chunk', terminalId: 'main', data: 'x'.repeat(HUB_MAX_MESSAGE_BYTES) }), 1009],
    ]
    for (const [frame, code] of cases) {
      const { socket } = await joinedRunner('Bad')
      socket.ws.send(frame)
      expect((await socket.closed).code).toBe(code)
    }
    good.send({ type: 'event', event: { type: 'chapter-opened', at: 1, chapterId: 'lab-setup' } })
    await waitFor(
      () => [...dash.rows.values()].find((r) => r.name === 'Good' && r.chapterId === 'lab-setup'),
      'good runner still counted',
    )
    expect(good.ws.readyState).toBe(WebSocket.OPEN)
    expect(dash.socket.ws.readyState).toBe(WebSocket.OPEN)
  })

  it('closes a runner that floods the hub', async () => {
    const { socket } = await joinedRunner('Flood')
    for (let i = 0; i < 400; i++) socket.send({ type: 'mirror-chunk', terminalId: 'main', data: 'x' })
    expect((await socket.closed).reason).toMatch(/HUB_FLOOD/)
  })

  it('refuses sockets and pages for a foreign Host or Origin, and unknown paths', async () => {
    const upgrade = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(hubSocketUrl(ctx.hub.url, path), { headers })
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('open', () => resolve(101))
        ws.on('error', () => undefined)
      })
    expect(await upgrade(hubPaths.dashboard, { host: 'evil.example:80' })).toBe(403)
    expect(await upgrade(hubPaths.dashboard, { origin: 'https://evil.example' })).toBe(403)
    // An opaque origin (a sandboxed frame of any page, a file or data page) is no page of the hub either.
    expect(await upgrade(hubPaths.dashboard, { origin: 'null' })).toBe(403)
    expect(await upgrade(hubPaths.follow, { origin: 'null' })).toBe(403)
    expect(await upgrade(hubPaths.dashboard, { origin: ctx.hub.url })).toBe(101)
    expect(await upgrade('/__lab/ws', {})).toBe(404)
    const status = await new Promise<number>((resolve) => {
      request(`${ctx.hub.url}/instructor`, { headers: { host: 'rebind.example' } }, (res) =>
        resolve(res.statusCode ?? 0),
      ).end()
    })
    expect(status).toBe(403)
  })

  it('closes a socket that never authenticates', async () => {
    const socket = await rawSocket(ctx.hub.url, hubPaths.dashboard)
    // The deadline is 5 s; waiting it out keeps the test honest about the real default.
    expect((await socket.closed).code).toBe(4408)
  }, 8000)

  it('binds loopback by default and warns loudly with --host', async () => {
    expect(new URL(ctx.hub.url).hostname).toBe('127.0.0.1')
    const lines: string[] = []
    const open = await createHub({ chapters, host: '0.0.0.0', warn: (l) => lines.push(l) })
    await open.close()
    expect(lines.join('\n')).toMatch(/WARNING: the hub listens on 0\.0\.0\.0/)
    expect(lines.join('\n')).not.toMatch(/workshop code has/)
    // A short code pinned by the instructor on a hub others reach is said to be guessable.
    const pinned: string[] = []
    const short = await createHub({ chapters, host: '0.0.0.0', workshopCode: '1234', warn: (l) => pinned.push(l) })
    await short.close()
    expect(pinned.join('\n')).toMatch(/The workshop code has 4 characters: an address may try 30 codes a minute/)
  })
})
