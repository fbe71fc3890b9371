import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs'

/**
 * Replaces `file` with `data` so that a crash or a killed runner leaves either the old file or the new one, never
 * half of one: a temp file beside it, fsync, rename. Readable by the owner only (progress and terminal output are
 * the learner's).
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
