/**
 * Puts the course's lab files (workspace/) into the learner's lab folder. Files the learner already has are kept:
 * an edited VyOS config or policy must survive a restart of the course.
 */
import { cp, mkdir, readdir, stat } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WORKSPACE_SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'workspace')

/** Copies missing files only; returns the paths (relative to `target`) it copied. */
export async function copyWorkspace(target: string, source: string = WORKSPACE_SOURCE): Promise<string[]> {
  const copied: string[] = []
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const from = join(dir, entry.name)
      const to = join(target, relative(source, from))
      if (entry.isDirectory()) {
        await walk(from)
        continue
      }
      if (await exists(to)) continue
      await mkdir(dirname(to), { recursive: true })
      await cp(from, to, { preserveTimestamps: true })
      copied.push(relative(target, to))
    }
  }
  await mkdir(target, { recursive: true })
  await walk(source)
  return copied
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
