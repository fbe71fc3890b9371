/**
 * Builds the course site when it is missing or older than its sources (pages, steps, theme), saying so with the
 * builder's own progress; otherwise reuses it. `vitepress build` takes a few seconds, so `npm run learn` on an
 * unchanged course starts at once.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'

export interface SiteSources {
  /** Repository root (where `.vitepress/` lives). */
  root: string
  docsDir: string
  stepsDir: string
  outDir: string
}

export class SiteBuildError extends Error {
  readonly code = 'LAB_SITE_BUILD_FAILED'
}

function newestMtime(path: string, skip: (name: string) => boolean): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const name of readdirSync(path)) {
    if (!skip(name)) newest = Math.max(newest, newestMtime(join(path, name), skip))
  }
  return newest
}

/** Why the site must be (re)built, or null when the built one is current. */
export function staleReason(sources: SiteSources): string | null {
  const built = join(sources.outDir, 'index.html')
  if (!existsSync(built)) return 'no built site yet'
  const builtAt = statSync(built).mtimeMs
  const skip = (name: string) => name === 'dist' || name === 'node_modules' || name.startsWith('cache')
  for (const dir of [sources.docsDir, sources.stepsDir, join(sources.root, '.vitepress'), join(sources.root, 'protocol')]) {
    if (newestMtime(dir, skip) > builtAt) return `${dir} changed since the last build`
  }
  return null
}

/** Builds if needed; `log` receives what is happening, the build's output streams to the terminal. */
export async function ensureSite(sources: SiteSources, log: (line: string) => void): Promise<void> {
  const reason = staleReason(sources)
  if (!reason) return
  log(`Building the course site (${reason})...`)
  const started = Date.now()
  const result = await execa('npx', ['vitepress', 'build'], {
    cwd: sources.root,
    env: { LAB_DOCS_DIR: sources.docsDir, LAB_STEPS_DIR: sources.stepsDir, LAB_OUT_DIR: sources.outDir },
    stdout: 'inherit',
    stderr: 'inherit',
    reject: false,
  })
  if (result.exitCode !== 0) throw new SiteBuildError(`the site build failed (exit code ${result.exitCode}); the errors are above`)
  log(`Site built in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
}
