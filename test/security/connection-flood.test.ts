/**
 * A flood of idle sockets, which anyone who reaches a port can send before any check: the runner and the hub hold a
 * bounded number, so the process keeps file descriptors for its own work (ptys, probes, saving a terminal's output,
 * which used to throw EMFILE out of a timer and end the process); the learners already connected keep working, and
 * one arriving during the flood gets in, in place of the flood's oldest socket (before, it was dropped for as long
 * as the flood lasted).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createHub } from '../../instructor/hub/create-hub.ts'
import { hubPaths } from '../../protocol/hub.ts'
import { createRunner } from '../../runner/runner.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { fixture } from '../../support/fixture-site.ts'
import { rawSocket } from '../../support/hub-clients.ts'
import { until } from '../../support/lab-helpers.ts'
import { loadCourse } from '../../toolchain/course/load-course.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

const CAP = 16
const FLOOD = 40
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** `count` idle TCP sockets to `port`, and how many of them the server has closed so far. */
function flood(port: number, count: number): { dropped: () => number } {
  let dropped = 0
  const sockets: Socket[] = []
  for (let i = 0; i < count; i++) {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('error', () => undefined)
    socket.on('close', () => dropped++)
    sockets.push(socket)
  }
  cleanups.push(() => sockets.forEach((s) => s.destroy()))
  return { dropped: () => dropped }
}

describe('a flood of idle sockets', () => {
  it("is dropped past the runner's cap while a connected tab keeps its terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flood-runner-'))
    const lab = new FixtureLab()
    await lab.up()
    const runner = await createRunner({
      lab,
      course: loadCourse(fixture.stepsDir).course,
      stateDir: dir,
      maxConnections: CAP,
    })
    cleanups.push(async () => {
      await runner.close()
      await lab.down()
      rmSync(dir, { recursive: true, force: true })
    })
    const tab = await NodeLabClient.connect(runner.url, runner.token)
    cleanups.push(() => tab.close())

    const sockets = flood(runner.port, FLOOD)
    // The tab holds one place: of the flood, CAP - 1 are held and the rest dropped at once.
    await until('the sockets past the cap to be dropped', () => sockets.dropped() >= FLOOD - (CAP - 1))
    expect(sockets.dropped()).toBe(FLOOD - (CAP - 1))

    tab.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    tab.send({ type: 'input', terminal: 'main', data: 'echo still-$((6*7))\r' })
    await tab.waitFor(() => tab.text().includes('still-42'))

    // A tab opened while the flood holds every other place gets in, and the flood loses its oldest socket for it.
    const late = await NodeLabClient.connect(runner.url, runner.token)
    cleanups.push(() => late.close())
    late.send({ type: 'attach', terminal: 'main', fromSeq: 0, cols: 80, rows: 24 })
    await late.waitFor(() => late.text().includes('still-42'))
    expect(sockets.dropped()).toBe(FLOOD - (CAP - 2))
  })

  it("is dropped past the hub's cap while a joined learner stays in the class", async () => {
    const hub = await createHub({ chapters: [{ id: 'lab-setup', order: 1, title: 'Lab setup' }], maxConnections: CAP })
    cleanups.push(() => hub.close())
    const learner = await rawSocket(hub.url, hubPaths.runner)
    learner.send({ type: 'hello', code: hub.workshopCode, name: 'Ada' })
    await until('Ada to join', () => hub.core.store.list().length === 1)

    const sockets = flood(Number(new URL(hub.url).port), FLOOD)
    await until('the sockets past the cap to be dropped', () => sockets.dropped() >= FLOOD - (CAP - 1))
    expect(sockets.dropped()).toBe(FLOOD - (CAP - 1))

    learner.send({ type: 'event', event: { type: 'chapter-opened', at: Date.now(), chapterId: 'lab-setup' } })
    await until('the event to reach the row', () => hub.core.store.list()[0]?.chapterId === 'lab-setup')

    // A learner on another machine joining during the flood takes a place of the address that floods.
    const late = await rawSocket(hub.url, hubPaths.runner, undefined, '127.0.0.2')
    late.send({ type: 'hello', code: hub.workshopCode, name: 'Bo' })
    await until('Bo to join', () => hub.core.store.list().length === 2)
    expect(sockets.dropped()).toBe(FLOOD - (CAP - 2))
  })

  it('closes the newcomer when every place is held by authenticated sockets', async () => {
    const hub = await createHub({ chapters: [{ id: 'lab-setup', order: 1, title: 'Lab setup' }], maxConnections: 3 })
    cleanups.push(() => hub.close())
    const learners = []
    for (const name of ['Ada', 'Bo', 'Cy']) {
      const learner = await rawSocket(hub.url, hubPaths.runner)
      learner.send({ type: 'hello', code: hub.workshopCode, name })
      learners.push(learner)
    }
    await until('three to join', () => hub.core.store.list().length === 3)
    const sockets = flood(Number(new URL(hub.url).port), 5)
    await until('the five to be closed', () => sockets.dropped() === 5)
    learners[0].send({ type: 'event', event: { type: 'chapter-opened', at: Date.now(), chapterId: 'lab-setup' } })
    await until('the event to reach the row', () => hub.core.store.list().some((r) => r.chapterId === 'lab-setup'))
  })
})
