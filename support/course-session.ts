/**
 * What a browser test of the real course needs: the course site (built when stale), a fresh twin lab, a runner
 * serving both, and a Chromium page. `dispose` runs every cleanup even when one fails, so a failing test leaves no
 * namespace, daemon, profile or state directory behind.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { createLab } from '../lab/index.ts'
import type { Course } from '../protocol/course.ts'
import { createRunner, type Runner } from '../runner/runner.ts'
import { loadCourse } from '../toolchain/course/load-course.ts'
import { ensureSite } from '../toolchain/site/ensure-site.ts'
import { launchChromium } from './chromium.ts'
import { root } from './fixture-site.ts'

export const screenshots = join(root, 'test-results/screenshots')

export interface CourseSession {
  course: Course
  runner: Runner
  page: Page
  dispose(): Promise<void>
}

export async function startCourseSession(): Promise<CourseSession> {
  const site = {
    root,
    docsDir: join(root, 'docs'),
    stepsDir: join(root, 'steps'),
    outDir: join(root, 'test-results/course-site'),
  }
  const { course } = loadCourse(site.stepsDir)
  await ensureSite(site, (line) => console.log(line))
  mkdirSync(screenshots, { recursive: true })
  const cleanups: (() => unknown)[] = []
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (error) {
        console.error('course session cleanup failed:', error)
      }
    }
  }
  try {
    const stateDir = mkdtempSync(join(tmpdir(), 'course-e2e-state-'))
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }))
    const lab = await createLab('twin')
    cleanups.push(() => lab.down())
    await lab.up()
    const runner = await createRunner({ lab, course, stateDir, siteDir: site.outDir })
    cleanups.push(() => runner.close())
    const browser = await launchChromium()
    cleanups.push(
      () => rmSync(browser.profile, { recursive: true, force: true }),
      () => browser.context.close(),
    )
    return { course, runner, page: await browser.context.newPage(), dispose }
  } catch (error) {
    await dispose()
    throw error
  }
}
