/**
 * The fixture course for browser tests: its site built once into test-results/ (rebuilt when its sources change),
 * a fixture lab, and a runner serving both, plus a Chromium from the system (never downloaded).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { FixtureLab } from '../../../lab/fixture/fixture-backend.ts'
import { loadCourse } from '../../../runner/course/load-course.ts'
import { createRunner, type Runner } from '../../../runner/runner.ts'
import { ensureSite } from '../../../runner/site/ensure-site.ts'

export const root = resolve(import.meta.dirname, '../../..')
export const fixture = {
  docsDir: join(root, 'test/fixtures/course/docs'),
  stepsDir: join(root, 'test/fixtures/course/steps'),
  outDir: join(root, 'test-results/fixture-site'),
}

export async function buildFixtureSite(): Promise<void> {
  await ensureSite({ root, ...fixture }, (line) => console.log(line))
}

export function startFixtureRunner(lab: FixtureLab, stateDir: string, port = 0): Promise<Runner> {
  return createRunner({ lab, course: loadCourse(fixture.stepsDir).course, stateDir, siteDir: fixture.outDir, port })
}

export async function launchChromium(): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'lab-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  })
  return { context, profile }
}
