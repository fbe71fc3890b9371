import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chapterSchema } from '../protocol/course.ts'
import type { ServerEvent } from '../protocol/messages.ts'
import { FixtureLab } from '../support/fixture-lab.ts'
import { type FixtureRunner, startFixtureRunnerWithLab } from '../support/fixture-runner.ts'
import { fixture } from '../support/fixture-site.ts'
import { loadCourse } from '../toolchain/course/load-course.ts'
import { NodeLabClient } from '../toolchain/self-test/node-lab-client.ts'
import { createRunner, type Runner } from './runner.ts'

const { course } = loadCourse(fixture.stepsDir)

const hanging = chapterSchema.parse({
  id: 'hanging',
  order: 9,
  title: { en: 'Hang', zh: 'Hang' },
  steps: [{ id: 'slow', title: { en: 'Slow', zh: 'Slow' }, run: 'sleep 3', timeoutMs: 300 }],
  checks: [
    {
      id: 'hangs',
      title: { en: 'h', zh: 'h' },
      probe: { run: 'sleep 60' },
      expect: [{ contains: 'x' }],
      timeoutMs: 400,
      fail: { en: 'the probe hung', zh: '探针卡住了' },
    },
  ],
})

let lab: FixtureLab
let runner: Runner
let fixtureRunner: FixtureRunner | undefined

beforeAll(async () => {
  fixtureRunner = await startFixtureRunnerWithLab({ extraChapters: [hanging] })
  ;({ lab, runner } = fixtureRunner)
})
afterAll(() => fixtureRunner?.stop())

/** Raw upgrade attempt: the status the server answered with, or 101. */
function upgrade(headers: Record<string, string>, path = '/__lab/ws', port = runner.port): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-protocol': 'lab.v1',
        ...headers,
      },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode ?? 0)
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('socket security (refused before the upgrade)', () => {
  const withToken = (token: string) => ({ 'sec-websocket-protocol': `lab.v1, lab-token.${token}` })
  const good = () => ({
    host: `127.0.0.1:${runner.port}`,
    origin: `http://127.0.0.1:${runner.port}`,
    ...withToken(runner.token),
  })
  it('accepts the right path, host, origin and token', async () => expect(await upgrade(good())).toBe(101))
  it('refuses a foreign Origin', async () =>
    expect(await upgrade({ ...good(), origin: 'http://evil.example' })).toBe(403))
  it('refuses a wrong Host (DNS rebinding)', async () =>
    expect(await upgrade({ ...good(), host: `rebind.example:${runner.port}` })).toBe(403))
  it('refuses a missing token', async () =>
    expect(await upgrade({ ...good(), 'sec-websocket-protocol': 'lab.v1' })).toBe(401))
  it('refuses a wrong token', async () => expect(await upgrade({ ...good(), ...withToken('0'.repeat(48)) })).toBe(401))
  it('does not take the token from a cookie, which the browser sends to every port of the host', async () => {
    expect(
      await upgrade({
        ...good(),
        'sec-websocket-protocol': 'lab.v1',
        cookie: `lab_token_${runner.port}=${runner.token}`,
      }),
    ).toBe(401)
  })
  it('refuses a wrong path', async () => expect(await upgrade(good(), '/__lab/other')).toBe(404))

  it('sets no cookie for the token and refuses a wrong one in the link', async () => {
    const get = (url: string) =>
      new Promise<import('node:http').IncomingMessage>((resolve) => request(url, resolve).end())
    const right = await get(`${runner.openUrl}&x=1`)
    right.resume()
    expect(right.statusCode).not.toBe(401)
    expect(right.headers['set-cookie']).toBeUndefined()
    const wrong = await get(`${runner.url}?token=${'0'.repeat(48)}`)
    wrong.resume()
    expect(wrong.statusCode).toBe(401)
  })

  it('is not reachable on non-loopback interfaces by default', async (ctx) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
    if (!address) return ctx.skip()
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: address, port: runner.port })
      socket.on('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
    })
    expect(outcome).toBe('ECONNREFUSED')
  })
})

describe('learning flow over the socket', () => {
  it('runs a step in the terminal, verifies it, gates the next chapter and checks the lab', async () => {
    const client = await NodeLabClient.connect(runner.url, runner.token)
    try {
      await client.waitFor(() => client.events.find((e) => e.type === 'hello'))
      expect(await client.request({ type: 'run-step', chapterId: 'routing', stepId: 'show-routes' })).toMatchObject({
        ok: false,
        code: 'LAB_CHAPTER_LOCKED',
      })
      expect(await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })).toMatchObject({
        ok: true,
      })
      client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
      await client.waitFor(() => client.text().includes('lab$ '))
      expect(await client.request({ type: 'run-step', chapterId: 'setup', stepId: 'write-config' })).toMatchObject({
        ok: true,
      })
      const stepResult = await client.waitFor(() =>
        client.events.find((e): e is Extract<ServerEvent, { type: 'step-result' }> => e.type === 'step-result'),
      )
      expect(stepResult.result).toMatchObject({ stepId: 'write-config', ok: true, exitCode: 0, output: 'mode=ready' })

      // Typed by hand, failing: the step reports expected vs actual.
      client.send({ type: 'input', terminal: 'main', data: 'ls -1\n' })
      const byHand = await client.waitFor(() =>
        client.events
          .filter((e) => e.type === 'step-result')
          .map((e) => (e as Extract<ServerEvent, { type: 'step-result' }>).result)
          .find((r) => r.stepId === 'list-files'),
      )
      expect(byHand.ok).toBe(true)

      const failing = await client.request({ type: 'check', chapterId: 'setup' })
      expect(failing).toMatchObject({
        ok: true,
        result: {
          ok: false,
          checks: [
            { checkId: 'config-written', ok: true },
            {
              checkId: 'service-running',
              ok: false,
              reason: 'The service is not running; start it with ./start-service.',
              expected: 'output contains "running"',
              actual: 'stopped',
            },
          ],
        },
      })
      lab.setState('service.state', 'running\n')
      expect(await client.request({ type: 'check', chapterId: 'setup' })).toMatchObject({
        ok: true,
        result: { ok: true },
      })
      expect(await client.request({ type: 'open-chapter', chapterId: 'routing', locale: 'zh' })).toMatchObject({
        ok: true,
      })
      expect(await client.request({ type: 'check', chapterId: 'routing' })).toMatchObject({ result: { ok: true } })
    } finally {
      client.close()
    }
  })

  it("answers each tab in its own language, and each tab gets a check's verdict once", async () => {
    const english = await NodeLabClient.connect(runner.url, runner.token)
    const chinese = await NodeLabClient.connect(runner.url, runner.token)
    try {
      expect(await english.request({ type: 'open-chapter', chapterId: 'hanging', locale: 'en' })).toMatchObject({
        ok: true,
      })
      // The tab that opened a chapter last is in Chinese: the English tab's reasons stay English.
      expect(await chinese.request({ type: 'open-chapter', chapterId: 'hanging', locale: 'zh' })).toMatchObject({
        ok: true,
      })
      const reply = await english.request({ type: 'check', chapterId: 'hanging' })
      expect(reply).toMatchObject({
        ok: true,
        result: { ok: false, checks: [{ checkId: 'hangs', reason: 'the probe hung' }] },
      })
      // The other tab sees the same verdict as an event; the asking tab had it in the reply, and the progress event
      // sent after the verdict (and before the reply) proves no event with it is still to come.
      const seen = await chinese.waitFor(() =>
        chinese.events.find((e): e is Extract<ServerEvent, { type: 'check-result' }> => e.type === 'check-result'),
      )
      expect(seen.result).toEqual((reply as { result: unknown }).result)
      expect(english.events.filter((e) => e.type === 'check-result')).toEqual([])
      expect(await chinese.request({ type: 'check', chapterId: 'hanging' })).toMatchObject({
        result: { checks: [{ reason: '探针卡住了' }] },
      })
    } finally {
      english.close()
      chinese.close()
    }
  })

  it('replays a terminal from the seq a client has: nothing lost, nothing doubled', async () => {
    const first = await NodeLabClient.connect(runner.url, runner.token)
    first.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
    first.send({ type: 'input', terminal: 'main', data: 'echo one-$((40+2))\n' })
    await first.waitFor(() => first.text().includes('one-42'))
    const had = first.output.get('main')!
    first.close()
    // Output produced while the tab is away (seen by another tab, so it is in the runner's replay when the tab attaches).
    const watcher = await NodeLabClient.connect(runner.url, runner.token)
    watcher.send({ type: 'attach', terminal: 'main', fromSeq: had.seq, cols: 100, rows: 30 })
    const second = await NodeLabClient.connect(runner.url, runner.token)
    second.send({ type: 'input', terminal: 'main', data: 'echo two-$((40+3))\n' })
    await watcher.waitFor(() => /two-43[\s\S]*lab\$ /.test(watcher.text()))
    second.send({ type: 'attach', terminal: 'main', fromSeq: had.seq, cols: 100, rows: 30 })
    await second.waitFor(() => second.text() === watcher.text() && second.text())
    expect(second.text()).not.toContain('one-42')
    const full = await NodeLabClient.connect(runner.url, runner.token)
    full.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
    await full.waitFor(() => full.text().length >= had.text.length + second.text().length)
    expect(full.text()).toBe(had.text + second.text())
    for (const client of [watcher, second, full]) client.close()
  })

  it('fails a Run whose command does not finish within the step timeout', async () => {
    const client = await NodeLabClient.connect(runner.url, runner.token)
    try {
      client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 100, rows: 30 })
      await client.request({ type: 'run-step', chapterId: 'hanging', stepId: 'slow' })
      const result = await client.waitFor(() =>
        client.events.find(
          (e): e is Extract<ServerEvent, { type: 'step-result' }> =>
            e.type === 'step-result' && e.result.stepId === 'slow',
        ),
      )
      expect(result.result).toMatchObject({
        ok: false,
        exitCode: null,
        reason: 'the command did not finish within 300 ms',
      })
    } finally {
      client.close()
    }
  })

  it('kills a hanging probe at its timeout, reports it, and keeps serving', async () => {
    const client = await NodeLabClient.connect(runner.url, runner.token)
    try {
      expect(await client.request({ type: 'open-chapter', chapterId: 'hanging', locale: 'zh' })).toMatchObject({
        ok: true,
      })
      const reply = await client.request({ type: 'check', chapterId: 'hanging' })
      expect(reply).toMatchObject({
        ok: true,
        result: {
          ok: false,
          checks: [
            { checkId: 'hangs', timedOut: true, reason: '探针卡住了', actual: 'timed out after 400 ms and was killed' },
          ],
        },
      })
      expect(await client.request({ type: 'open-chapter', chapterId: 'setup', locale: 'en' })).toMatchObject({
        ok: true,
      })
    } finally {
      client.close()
    }
  })
})

describe('a lab that failed to start', () => {
  it('reports the failure and its reason, and keeps terminals closed with a code', async () => {
    const failing = new FixtureLab({ failWith: 'no network namespaces here: run as root' })
    const stateDir = mkdtempSync(join(tmpdir(), 'lab-failed-'))
    const other = await createRunner({ lab: failing, course, stateDir })
    try {
      await failing.up()
      const client = await NodeLabClient.connect(other.url, other.token)
      const hello = await client.waitFor(() =>
        client.events.find((e): e is Extract<ServerEvent, { type: 'hello' }> => e.type === 'hello'),
      )
      expect(hello.lab).toEqual({ kind: 'fixture', state: 'failed', reason: 'no network namespaces here: run as root' })
      client.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
      expect(await client.request({ type: 'run-step', chapterId: 'setup', stepId: 'write-config' })).toMatchObject({
        ok: false,
        code: 'LAB_NOT_READY',
      })
      client.close()
    } finally {
      await other.close()
      await failing.down()
      rmSync(stateDir, { recursive: true, force: true })
    }
  })
})
