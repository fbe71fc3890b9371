/**
 * Builds the course site when its inputs changed (a content hash, `site-inputs.ts`), otherwise reuses it: an
 * unchanged course starts without the builder's 10 s. Two starts at once build once: the second waits on the first's
 * lock (`build-lock.ts`) and then finds the site current. A build goes to a fresh folder and is switched in atomically
 * (`site-builds.ts`), so a runner already serving the out dir keeps answering, and a failed build leaves the previous
 * site as it was.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { execa } from 'execa'
import { CodedError } from '../../protocol/coded-error.ts'
import { stepsDir } from '../course/load-course.ts'
import { lockSiteBuild } from './build-lock.ts'
import { buildDirFor, currentBuild, publishBuild } from './site-builds.ts'
import { type SiteSources, siteHash } from './site-inputs.ts'

export type { SiteSources } from './site-inputs.ts'

export class SiteBuildError extends CodedError<'LAB_SITE_BUILD_FAILED'> {}

/** The course's own site: `docs/` and `steps/` (or `LAB_DOCS_DIR`, `LAB_STEPS_DIR`) into `LAB_OUT_DIR` (`.vitepress/dist`). */
export function courseSite(root: string): SiteSources {
  return {
    root,
    docsDir: resolve(root, process.env.LAB_DOCS_DIR ?? 'docs'),
    stepsDir: stepsDir(root),
    outDir: resolve(root, process.env.LAB_OUT_DIR ?? '.vitepress/dist'),
  }
}

/** Writes a complete site for `sources` into `into` (a fresh folder), or throws. */
export type SiteBuilder = (sources: SiteSources, into: string) => Promise<void>

/**
 * Builds if needed; `log` receives what is happening, the builder's own progress streams to the terminal.
 * [build=vitepressBuild] is replaced in tests.
 */
export async function ensureSite(
  sources: SiteSources,
  log: (line: string) => void,
  build: SiteBuilder = vitepressBuild,
): Promise<void> {
  if (isCurrent(sources, siteHash(sources))) return
  mkdirSync(dirname(sources.outDir), { recursive: true })
  let waited = false
  const release = await lockSiteBuild(`${sources.outDir}.lock`, (pid) => {
    waited = true
    log(`Waiting for another start to finish building the site (pid ${pid})...`)
  })
  try {
    // Hashed again under the lock: the holder we waited for has usually just built exactly this.
    const hash = siteHash(sources)
    if (isCurrent(sources, hash)) {
      if (waited) log('The other start built the site; using it.')
      return
    }
    const buildDir = buildDirFor(sources.outDir, hash)
    // The build of these very inputs is still there when an edit was undone (it is kept as the replaced one).
    if (!existsSync(buildDir)) await buildInto(sources, buildDir, log, build)
    publishBuild(sources.outDir, buildDir)
  } finally {
    await release()
  }
}

function isCurrent(sources: SiteSources, hash: string): boolean {
  return currentBuild(sources.outDir) === buildDirFor(sources.outDir, hash)
}

async function buildInto(
  sources: SiteSources,
  buildDir: string,
  log: (line: string) => void,
  build: SiteBuilder,
): Promise<void> {
  const reason = existsSync(sources.outDir)
    ? 'its pages, chapters or theme changed since the last build'
    : 'no built site yet'
  log(`Building the course site (${reason})...`)
  const started = Date.now()
  // Built beside, renamed only once complete: an interrupted or failed build never looks like a build.
  const partial = `${buildDir}.partial`
  rmSync(partial, { recursive: true, force: true })
  try {
    await build(sources, partial)
    if (!existsSync(join(partial, 'index.html')))
      throw new SiteBuildError('LAB_SITE_BUILD_FAILED', `the site build wrote no index.html into ${partial}`)
    renameSync(partial, buildDir)
  } catch (error) {
    rmSync(partial, { recursive: true, force: true })
    throw error
  }
  log(`Site built in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
}

async function vitepressBuild(sources: SiteSources, into: string): Promise<void> {
  const result = await execa(
    process.execPath,
    [join(sources.root, 'node_modules/vitepress/bin/vitepress.js'), 'build', '--outDir', into],
    {
      cwd: sources.root,
      // LAB_OUT_DIR stays the served path, so the config's cache dir (`<outDir>-cache`) is the same for every build.
      env: { LAB_DOCS_DIR: sources.docsDir, LAB_STEPS_DIR: sources.stepsDir, LAB_OUT_DIR: sources.outDir },
      stdout: 'inherit',
      stderr: 'inherit',
      reject: false,
    },
  )
  if (result.exitCode !== 0) {
    const kept = existsSync(sources.outDir) ? 'the previous site is still served' : 'there is no site to serve yet'
    throw new SiteBuildError(
      'LAB_SITE_BUILD_FAILED',
      `the site build failed (exit code ${result.exitCode}); the errors are above, ${kept}`,
    )
  }
}
