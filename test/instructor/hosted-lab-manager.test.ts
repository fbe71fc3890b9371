/**
 * Hosted labs against the fixture lab backend (a temp dir per lab, commands run with bash in it): claim through the
 * hub's HTTP join route, warm spares, the cap, reset by replaying solutions on a fresh lab, and release.
 * The runner side is the recording runner until hosted runners come from createRunner.
 */
import { existsSync, readdirSync } from 'node:fs'
import { request } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HostedLabManager } from '../../hosting/hosted-lab-manager.ts'
import { chapterSchema } from '../../protocol/course.ts'
import { type HostedJoinResponse, hubPaths } from '../../protocol/hub.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { dashboardClient, recordingRunner, useHub, waitFor } from '../../support/hub-clients.ts'

const title = { en: 't', zh: 't' }
const chapters = [1, 2, 3].map((order) =>
  chapterSchema.parse({
    id: `chapter-${order}`,
    order,
    title,
    section: 's',
    steps: [{ id: 'make', title, run: `echo ${order} > done-${order}.txt`, expect: [] }],
  }),
)
const ctx = useHub({ chapters: chapters.map((c) => ({ id: c.id, order: c.order, title: c.id })) })

const labs: FixtureLab[] = []
const confirmed: string[][] = []
let manager: HostedLabManager | undefined
afterEach(async () => {
  await manager?.close()
  manager = undefined
  for (const lab of labs.splice(0)) await lab.down()
})

function startManager(options: { warm?: number; max?: number; idleMs?: number }, stopFails = false, on = ctx) {
  manager = new HostedLabManager({
    hubUrl: on.hub.url,
    workshopCode: on.hub.workshopCode,
    chapters,
    onJoined: (id) => on.hub.core.markHosted(id),
    onExpired: (id) => void on.hub.core.remove(id),
    ...options,
    async start() {
      const lab = new FixtureLab()
      labs.push(lab)
      await lab.up()
      const confirm = async (ids: string[]) => void confirmed.push(ids)
      return {
        url: `http://127.0.0.1/lab/${labs.length}`,
        runner: recordingRunner().hooks,
        lab,
        confirmChapters: confirm,
        async close() {
          await lab.down()
          if (stopFails) throw new Error('the lab would not stop')
        },
      }
    },
  })
  on.hub.setHosted(manager)
  return manager
}

async function joinByBrowser(name: string, code = ctx.hub.workshopCode, on = ctx) {
  const res = await fetch(`${on.hub.url}${hubPaths.join}`, { method: 'POST', body: JSON.stringify({ code, name }) })
  return { status: res.status, body: (await res.json()) as HostedJoinResponse & { code?: string } }
}

describe('hosted labs', () => {
  it('gives a browser learner a lab of their own and a hosted row', async () => {
    startManager({})
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { status, body } = await joinByBrowser('Hana')
    expect(status).toBe(200)
    expect(body.labUrl).toBe('http://127.0.0.1/lab/1')
    expect(ctx.hub.core.learnerOfToken(body.token)).toBe(body.learnerId)
    await waitFor(() => dash.rows.get(body.learnerId)?.mode === 'hosted', 'hosted row')
    expect((await joinByBrowser('Eve', 'WRONG-CODE0')).status).toBe(401)
  })

  it('keeps warm spares and refuses beyond the cap', async () => {
    const m = startManager({ warm: 1, max: 2 })
    await waitFor(() => m.spareCount === 1, 'one spare')
    expect((await joinByBrowser('A')).status).toBe(200)
    await waitFor(() => m.size === 2, 'spare refilled')
    expect((await joinByBrowser('B')).status).toBe(200)
    const refused = await joinByBrowser('C')
    expect(refused).toMatchObject({ status: 503, body: { code: 'HUB_HOSTED_FULL' } })
  })

  it('resets a hosted lab to the start of a chapter by replaying earlier solutions on a fresh lab', async () => {
    startManager({})
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { body } = await joinByBrowser('Hana')
    const first = labs[0]
    first.setState('done-3.txt', 'work from chapter 3')
    expect(await dash.act({ type: 'reset', learnerId: body.learnerId, chapterOrder: 3 })).toMatchObject({ ok: true })
    expect(existsSync(first.dir)).toBe(false)
    const fresh = labs[1]
    expect(readdirSync(fresh.dir).sort()).toEqual(['done-1.txt', 'done-2.txt'])
    // These chapters have no checks, so there is nothing for the runner to confirm.
    expect(confirmed.at(-1)).toEqual([])
    const row = await waitFor(
      () => dash.rows.get(body.learnerId)?.chapterId === 'chapter-3' && dash.rows.get(body.learnerId),
      'row rewound',
    )
    expect(row).toMatchObject({ connected: true, mode: 'hosted', completedChapters: ['chapter-1', 'chapter-2'] })
    expect(ctx.hub.core.store.list()).toHaveLength(1)
  })

  it('reports a solution that fails during reset with the command', async () => {
    startManager({})
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { body } = await joinByBrowser('Hana')
    chapters[0].steps[0].run = 'echo broken >&2; exit 3'
    try {
      const result = await dash.act({ type: 'reset', learnerId: body.learnerId, chapterOrder: 2 })
      expect(result).toMatchObject({ ok: false, code: 'HUB_RESET_FAILED' })
      expect(result.message).toMatch(/chapter-1: `echo broken >&2; exit 3` exited 3\n {2}broken/)
    } finally {
      chapters[0].steps[0].run = 'echo 1 > done-1.txt'
    }
  })

  it('refuses a second reset while one is running', async () => {
    startManager({})
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { body } = await joinByBrowser('Hana')
    const [first, second] = await Promise.all([
      dash.act({ type: 'reset', learnerId: body.learnerId, chapterOrder: 2 }),
      dash.act({ type: 'reset', learnerId: body.learnerId, chapterOrder: 3 }),
    ])
    expect(first).toMatchObject({ ok: true })
    expect(second).toMatchObject({ ok: false, code: 'HUB_RESET_BUSY' })
    expect(labs).toHaveLength(2)
  })

  it('expires an idle hosted lab and removes the learner', async () => {
    const m = startManager({ idleMs: 200 })
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { body } = await joinByBrowser('Hana')
    await waitFor(() => dash.rows.has(body.learnerId), 'row')
    await waitFor(() => !dash.rows.has(body.learnerId), 'row removed after the idle time', 3000)
    expect(existsSync(labs[0].dir)).toBe(false)
    expect(m.size).toBe(0)
  })

  it('removes an idle learner whose lab fails to stop, and the hub keeps serving', async () => {
    // Unhandled, the failure was a rejected promise nobody awaited: Node ends the process, and the class, on one.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    startManager({ idleMs: 200 }, true)
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { body } = await joinByBrowser('Hana')
    await waitFor(() => dash.rows.has(body.learnerId), 'row')
    await waitFor(() => !dash.rows.has(body.learnerId), 'row removed after the idle time', 3000)
    expect(logged.mock.calls.flat().join(' ')).toContain('the lab would not stop')
    logged.mockRestore()
    expect((await joinByBrowser('Ines')).status).toBe(200)
  })

  it('stops the lab when the instructor removes a hosted learner', async () => {
    const m = startManager({})
    const dash = await dashboardClient(ctx.hub.url, ctx.hub.instructorSecret)
    const { body } = await joinByBrowser('Hana')
    await dash.act({ type: 'remove', learnerId: body.learnerId })
    expect(existsSync(labs[0].dir)).toBe(false)
    expect(m.size).toBe(0)
  })
})

describe('hosted labs per address', () => {
  const capped = useHub({
    chapters: chapters.map((c) => ({ id: c.id, order: c.order, title: c.id })),
    maxLearnersPerAddress: 2,
  })

  /** A browser's join from 127.0.0.2: another machine to the hub, which caps loopback (its own runners) nowhere. */
  function joinFromAnotherAddress(
    name: string,
    code = capped.hub.workshopCode,
  ): Promise<{ status: number; body: { code?: string; message?: string }; retryAfter?: string }> {
    const { port } = new URL(capped.hub.url)
    const body = JSON.stringify({ code, name })
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: hubPaths.join, localAddress: '127.0.0.2' },
        (res) => {
          let text = ''
          res.on('data', (chunk) => (text += chunk))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(text),
              retryAfter: res.headers['retry-after'],
            }),
          )
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  it('holds browsers of one address to its cap, however many ask at once', async () => {
    const m = startManager({ max: 10 }, false, capped)
    const joins = await Promise.all(['A', 'B', 'C', 'D'].map((name) => joinFromAnotherAddress(name)))
    expect(joins.map((j) => j.status).sort()).toEqual([200, 200, 429, 429])
    expect(joins.find((j) => j.status === 429)?.body).toMatchObject({ code: 'HUB_ADDRESS_FULL' })
    expect(m.size).toBe(2)
    expect(capped.hub.core.store.list()).toHaveLength(2)
  })

  it('refuses every code from an address past 30 wrong ones in a minute, and starts no lab for it', async () => {
    const m = startManager({ max: 10 }, false, capped)
    for (let i = 0; i < 30; i++) {
      const wrong = await joinFromAnotherAddress('Eve', `GUESS-${String(i).padStart(5, '0')}`)
      expect(wrong).toMatchObject({ status: 401, body: { code: 'HUB_BAD_CODE' } })
    }
    const right = await joinFromAnotherAddress('Eve')
    expect(right.status).toBe(429)
    expect(right.body.code).toBe('HUB_TOO_MANY_CODES')
    expect(right.body.message).toMatch(/^30 wrong workshop codes from this address within 60 s: try again in \d+ s$/)
    expect(Number(right.retryAfter)).toBeGreaterThan(0)
    expect(m.size).toBe(0)
    // Another address is not held by it.
    expect((await joinByBrowser('Ada', capped.hub.workshopCode, capped)).status).toBe(200)
    expect(m.size).toBe(1)
  })
})
