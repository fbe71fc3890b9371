/**
 * Reset on the real twin (root): a hosted learner on the course itself gets a fresh twin lab with every solution up to
 * "BGP at work" replayed, and the fresh runner's own checks of the replayed chapters pass. This is the reset the
 * dashboard offers, with nothing replaced by a fixture: the labs are sandboxed as the hub's are, and their runners'
 * state dirs lie under /tmp, which the sandbox makes private (each runner's own stays visible to its lab).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { HostedLabManager } from '../../hosting/hosted-lab-manager.ts'
import { sandboxedTwin } from '../../hosting/sandboxed-twin.ts'
import { runnerLabStarter } from '../../hosting/start-runner-lab.ts'
import { hubChapters } from '../../instructor/hub/course-outline.ts'
import { createHub, type Hub } from '../../instructor/hub/create-hub.ts'
import type { LabBackend } from '../../lab/backend.ts'
import { type HostedJoinResponse, hubPaths } from '../../protocol/hub.ts'
import { dashboardClient, waitFor } from '../../support/hub-clients.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { NodeLabClient } from '../../toolchain/self-test/node-lab-client.ts'

const { course } = loadCourse(stepsDir())
const tmp = mkdtempSync(join(tmpdir(), 'hosted-twin-'))
const labs: LabBackend[] = []
let hub: Hub | undefined

afterAll(async () => {
  await hub?.close()
  for (const lab of labs) await lab.down()
  rmSync(tmp, { recursive: true, force: true })
})

describe('hosted twin lab reset', () => {
  it("replays the solutions on a fresh twin and the replayed chapters' checks pass", async () => {
    const target = course.chapters.find((c) => c.id === 'bgp-at-work')!
    hub = await createHub({ chapters: hubChapters(course), flushMs: 50 })
    const manager = new HostedLabManager({
      hubUrl: hub.url,
      workshopCode: hub.workshopCode,
      chapters: course.chapters,
      onJoined: (id) => hub!.core.markHosted(id),
      onExpired: (id) => void hub!.core.remove(id),
      start: runnerLabStarter({
        course,
        stateRoot: tmp,
        host: '127.0.0.1',
        createLab: async (stateDir) => {
          const lab = await sandboxedTwin()(stateDir)
          labs.push(lab)
          return lab
        },
      }),
    })
    hub.setHosted(manager)
    const response = await fetch(`${hub.url}${hubPaths.join}`, {
      method: 'POST',
      body: JSON.stringify({ code: hub.workshopCode, name: 'Hana' }),
    })
    const joined = (await response.json()) as HostedJoinResponse
    expect(response.status).toBe(200)
    const dash = await dashboardClient(hub.url, hub.instructorSecret)
    const result = await dash.act({ type: 'reset', learnerId: joined.learnerId, chapterOrder: target.order }, 180_000)
    expect(result, result.message).toMatchObject({ ok: true })
    expect(labs).toHaveLength(2)
    expect(labs[0].status().state).toBe('stopped')

    const row = await waitFor(
      () => dash.rows.get(joined.learnerId)?.chapterId === target.id && dash.rows.get(joined.learnerId),
      'row at the target chapter',
    )
    expect(row.completedChapters).toEqual(expect.arrayContaining(['welcome', 'build-the-lab']))

    const url = new URL(joined.labUrl)
    const client = await NodeLabClient.connect(url.origin, url.searchParams.get('token')!)
    try {
      // The replayed chapters were confirmed by their checks, so the target chapter is open at once.
      expect(await client.request({ type: 'open-chapter', chapterId: target.id, locale: 'en' })).toMatchObject({
        ok: true,
      })
      expect(await client.request({ type: 'check', chapterId: 'build-the-lab' })).toMatchObject({
        ok: true,
        result: { ok: true },
      })
    } finally {
      client.close()
    }
  }, 240_000)
})
