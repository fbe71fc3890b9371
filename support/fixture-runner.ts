/** A runner on the fixture course with a fresh fixture lab and state dir, for integration tests; `stop()` removes all. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Chapter } from '../protocol/course.ts'
import { createRunner, type Runner } from '../runner/runner.ts'
import { loadCourse } from '../toolchain/course/load-course.ts'
import { FixtureLab, type FixtureLabOptions } from './fixture-lab.ts'
import { fixture } from './fixture-site.ts'

export interface FixtureRunner {
  lab: FixtureLab
  runner: Runner
  stop(): Promise<void>
}

/**
 * @param options.extraChapters chapters added to the fixture course; @param options.labUp bring the lab up first
 * (default true); @param options.lab the fixture lab's options.
 */
export async function startFixtureRunnerWithLab(
  options: { extraChapters?: Chapter[]; labUp?: boolean; lab?: FixtureLabOptions } = {},
): Promise<FixtureRunner> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lab-runner-state-'))
  const lab = new FixtureLab(options.lab)
  if (options.labUp !== false) await lab.up()
  const course = loadCourse(fixture.stepsDir).course
  const runner = await createRunner({
    lab,
    course: { chapters: [...course.chapters, ...(options.extraChapters ?? [])] },
    stateDir,
  })
  return {
    lab,
    runner,
    async stop() {
      await runner.close()
      await lab.down()
      rmSync(stateDir, { recursive: true, force: true })
    },
  }
}
