/**
 * The fixture course for browser tests: its site built once into test-results/ (rebuilt when its sources change),
 * a fixture lab, and a runner serving both (the browser is in chromium.ts).
 */
import { join, resolve } from 'node:path'
import { createRunner, type Runner } from '../runner/runner.ts'
import { loadCourse } from '../toolchain/course/load-course.ts'
import { ensureSite } from '../toolchain/site/ensure-site.ts'
import type { FixtureLab } from './fixture-lab.ts'

export const root = resolve(import.meta.dirname, '..')
export const fixture = {
  docsDir: join(root, 'support/fixture-course/docs'),
  stepsDir: join(root, 'support/fixture-course/steps'),
  outDir: join(root, 'test-results/fixture-site'),
}

export async function buildFixtureSite(): Promise<void> {
  await ensureSite({ root, ...fixture }, (line) => console.log(line))
}

export function startFixtureRunner(lab: FixtureLab, stateDir: string, port = 0): Promise<Runner> {
  return createRunner({ lab, course: loadCourse(fixture.stepsDir).course, stateDir, siteDir: fixture.outDir, port })
}
