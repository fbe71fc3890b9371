/**
 * How the hub starts one hosted lab: a fresh lab backend, brought up, and a runner of its own on the hub's machine
 * (own state dir, own token, own port). On reset the new runner takes the old one's port and token, so the learner's
 * open page reconnects by itself.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Course } from '../../protocol/course.ts'
import type { LabBackend } from '../../lab/backend.ts'
import { createRunner } from '../../runner/runner.ts'
import type { HostedLabInstance, StartHostedLab } from './hosted-lab-manager.ts'
import { confirmChapters } from './confirm-chapters.ts'

export interface RunnerLabOptions {
  course: Course
  /** Makes the lab for one learner (the twin on the hub's machine; the fixture lab in tests). */
  createLab: () => Promise<LabBackend>
  /** Parent of the per-lab state dirs (progress, shell rc); each lab's dir is removed when it stops. */
  stateRoot: string
  siteDir?: string
  /** Interface the runners bind: the hub's, so a learner who reaches the hub reaches their lab. */
  host: string
}

export function runnerLabStarter(options: RunnerLabOptions): StartHostedLab {
  return async (reuse) => {
    const lab = await options.createLab()
    const stateDir = await mkdtemp(join(options.stateRoot, 'hosted-'))
    const dispose = async () => {
      await lab.down()
      await rm(stateDir, { recursive: true, force: true })
    }
    try {
      await lab.up()
      const previous = reuse ? new URL(reuse.url) : undefined
      const runner = await createRunner({
        lab,
        course: options.course,
        stateDir,
        siteDir: options.siteDir,
        host: options.host,
        port: previous ? Number(previous.port) : 0,
        token: previous?.searchParams.get('token') ?? undefined,
      })
      const instance: HostedLabInstance = {
        url: runner.openUrl,
        runner,
        lab,
        confirmChapters: (chapterIds) => confirmChapters(runner.openUrl, chapterIds),
        async close() {
          await runner.close()
          await dispose()
        },
      }
      return instance
    } catch (error) {
      await dispose()
      throw error
    }
  }
}
