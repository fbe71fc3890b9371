/**
 * The built sites of one out dir and the switch between them. Each build lives in its own sibling folder named after
 * its input hash (`dist.<hash>`), and the out dir itself is a symlink to the current one. A new build is made in
 * `dist.<hash>.partial`, renamed to `dist.<hash>` only once complete, then published by renaming a new symlink over
 * the out dir: rename(2) replaces the link atomically, so a server resolving paths through it (each request walks the
 * link again) reads the old build or the new one, never a missing or half-written folder. Renaming a folder over a
 * non-empty folder is not possible at all, hence the link.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/** Hex digits of the input hash in a build's folder name: enough to tell builds apart, short enough to read. */
const HASH_CHARS = 16

export function buildDirFor(outDir: string, hash: string): string {
  return `${outDir}.${hash.slice(0, HASH_CHARS)}`
}

/** The build the out dir points at now, as an absolute path; null when there is none yet (or a plain folder). */
export function currentBuild(outDir: string): string | null {
  if (!existsSync(outDir) || !lstatSync(outDir).isSymbolicLink()) return null
  return resolve(dirname(outDir), readlinkSync(outDir))
}

/**
 * Points the out dir at `buildDir` atomically, then removes the builds of this out dir other than the new one and the
 * one it replaced (a request that resolved a file in the replaced one just before the switch still reads it).
 */
export function publishBuild(outDir: string, buildDir: string): void {
  const replaced = currentBuild(outDir)
  const link = `${outDir}.link-${process.pid}`
  rmSync(link, { force: true })
  // Relative, so the tree still works when moved or mounted elsewhere.
  symlinkSync(basename(buildDir), link)
  let legacy: string | null = null
  if (existsSync(outDir) && !lstatSync(outDir).isSymbolicLink()) {
    // A plain folder from `vitepress build` or an older version: a link cannot be renamed over a folder, so it moves
    // aside first (the one moment its path is missing) and is then removed like any replaced build.
    legacy = `${outDir}.legacy`
    rmSync(legacy, { recursive: true, force: true })
    renameSync(outDir, legacy)
  }
  renameSync(link, outDir)
  const keep = new Set([buildDir, replaced ?? legacy])
  for (const old of siblingsOf(outDir)) if (!keep.has(old)) rmSync(old, { recursive: true, force: true })
}

/** The folders and links this module makes beside `outDir` (builds, partial builds, links not yet renamed). */
function siblingsOf(outDir: string): string[] {
  const parent = dirname(outDir)
  const escaped = basename(outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const ours = new RegExp(`^${escaped}\\.(?:[0-9a-f]{${HASH_CHARS}}(?:\\.partial)?|legacy|link-\\d+)$`)
  return readdirSync(parent)
    .filter((name) => ours.test(name))
    .map((name) => join(parent, name))
}
