import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Replaces `file` with `data` so that a crash or a killed runner leaves either the old file or the new one, never
 * half of one: a temp file beside it (`<file>.<pid>.tmp`), fsync, rename. Readable by the owner only (progress and
 * terminal output are the learner's).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`
  const fd = openSync(temp, 'w', 0o600)
  try {
    writeFileSync(fd, data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
}

/**
 * Removes the temp files that runners killed between writing and renaming left in `dir` (their pid is gone); a
 * live runner's temp file on the same directory is left alone. Returns the names removed.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const stale = names.filter((name) => {
    const pid = /\.(\d+)\.tmp$/.exec(name)?.[1]
    return pid !== undefined && !isAlive(Number(pid))
  })
  for (const name of stale) rmSync(join(dir, name), { force: true })
  return stale
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
