/**
 * The real `vitepress build` behind `ensureSite`: a start with an unchanged course does not build (the build itself
 * touches `.vitepress/`, which made every start rebuild), and two starts at once build once and both succeed.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, expect, it } from 'vitest'
import { fixture, root } from '../../support/fixture-site.ts'
import { ensureSite, type SiteSources } from '../../toolchain/site/ensure-site.ts'

// Inside the repository: the pages import `vue`, resolved from node_modules upwards of them.
mkdirSync(join(root, 'test-results'), { recursive: true })
const dir = mkdtempSync(join(root, 'test-results/site-build-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The fixture course copied, so the test can move its mtimes without touching the repository's files. */
function course(name: string): SiteSources {
  const docsDir = join(dir, name, 'docs')
  const stepsDir = join(dir, name, 'steps')
  cpSync(fixture.docsDir, docsDir, { recursive: true })
  cpSync(fixture.stepsDir, stepsDir, { recursive: true })
  return { root, docsDir, stepsDir, outDir: join(dir, name, 'site') }
}

function touchAll(path: string, when: Date): void {
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) touchAll(join(path, name), when)
  utimesSync(path, when, when)
}

it('does not rebuild an unchanged course, even with every page and chapter newer than the build', async () => {
  const sources = course('unchanged')
  const log: string[] = []
  await ensureSite(sources, (line) => log.push(line))
  const page = statSync(join(sources.outDir, 'index.html')).ino
  const site = realpathSync(sources.outDir)
  for (const input of [sources.docsDir, sources.stepsDir]) touchAll(input, new Date(Date.now() + 60_000))
  await ensureSite(sources, (line) => log.push(line))
  expect(log.filter((line) => line.startsWith('Building'))).toEqual(['Building the course site (no built site yet)...'])
  expect(statSync(join(sources.outDir, 'index.html')).ino).toBe(page)
  expect(realpathSync(sources.outDir)).toBe(site)
})

it('builds once when two starts run at once, and both start', async () => {
  const sources = course('together')
  const child = join(root, 'toolchain/site/fixtures/ensure-site-process.ts')
  const starts = [0, 1].map(() =>
    execa(process.execPath, ['--import', 'tsx', child, JSON.stringify(sources), 'vitepress'], {
      cwd: root,
      all: true,
      reject: false,
    }),
  )
  const results = await Promise.all(starts)
  const outputs = results.map((result) => result.all)
  expect(
    results.map((result) => result.exitCode),
    outputs.join('\n----\n'),
  ).toEqual([0, 0])
  expect(outputs.filter((output) => output.includes('Building the course site'))).toHaveLength(1)
  expect(
    outputs.filter((output) => /Waiting for another start to finish building the site \(pid \d+\)/.test(output)),
  ).toHaveLength(1)
  expect(statSync(join(sources.outDir, 'index.html')).isFile()).toBe(true)
})
