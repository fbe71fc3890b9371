/**
 * How the hub starts one hosted lab: a fresh lab backend, brought up, and a runner of its own on the hub's machine
 * (own state dir, own token, own port). On reset the new runner takes the old one's port and token, so the learner's
 * open page reconnects by itself.
 *
 * The lab is sandboxed (the hub's `createLab` asks for it): its uid may enter the runner's state dir only to read the
 * shell-integration rc the runner writes there (the dir is 0711, listing refused); the learner's progress and terminal
 * output live in the runner's `local` subdir, made here 0700 before the runner starts, so no lab reads its own
 * learner's files or another's.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { LabBackend } from '../lab/backend.ts'
import type { Course } from '../protocol/course.ts'
import { createRunner } from '../runner/runner.ts'
import { confirmChapters } from './confirm-chapters.ts'
import type { HostedLabInstance, StartHostedLab } from './hosted-lab-manager.ts'

export interface RunnerLabOptions {
  course: Course
  /**
   * Makes the lab for one learner (the sandboxed twin on the hub's machine; the fixture lab in tests). `stateDir` is the
   * runner's, where the shell-integration rc the lab's shell reads is.
   */
  createLab: (stateDir: string) => Promise<LabBackend>
  /** Parent of the per-lab state dirs (progress, shell rc); made traversable (0711); each lab's dir is removed when it stops. */
  stateRoot: string
  siteDir?: string
  /** Interface the runners bind: the hub's, so a learner who reaches the hub reaches their lab. */
  host: string
}

export function runnerLabStarter(options: RunnerLabOptions): StartHostedLab {
  return async (reuse) => {
    await chmod(options.stateRoot, 0o711)
    const stateDir = await mkdtemp(join(options.stateRoot, 'hosted-'))
    let lab: LabBackend | undefined
    const dispose = async () => {
      await lab?.down()
      await rm(stateDir, { recursive: true, force: true })
    }
    try {
      await chmod(stateDir, 0o711)
      // The runner's progress dir (runner.ts: `<stateDir>/local`), closed before anything is written into it.
      await mkdir(join(stateDir, 'local'), { mode: 0o700 })
      lab = await options.createLab(stateDir)
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
