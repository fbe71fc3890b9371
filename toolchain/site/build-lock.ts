/**
 * One site build at a time per output, across processes: an flock(2) on `<outDir>.lock`, held by a `flock` child
 * (util-linux, on every Debian and Ubuntu) for as long as this process keeps the child's stdin open. The kernel drops
 * the lock when the holder dies however it dies, so there is no stale lock to detect or break (a pid written in a file
 * can be reused, as pid 1 is in every container). The file only says who holds it, for the waiting message.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { CodedError } from '../../protocol/coded-error.ts'

/** `flock --nonblock` exits with this when another process holds the lock. */
const BUSY = 75

export class SiteLockError extends CodedError<'LAB_SITE_LOCK_FAILED'> {}

/**
 * Takes the lock on `lockFile`, waiting for the holder if there is one (`onWait` gets its pid first). Resolves to
 * the release function.
 */
export async function lockSiteBuild(
  lockFile: string,
  onWait: (holderPid: string) => void,
): Promise<() => Promise<void>> {
  writeFileSync(lockFile, '', { flag: 'a' })
  let release = await hold(lockFile, false)
  if (!release) {
    onWait(await holderPid(lockFile))
    release = await hold(lockFile, true)
  }
  if (!release) throw new SiteLockError('LAB_SITE_LOCK_FAILED', `could not lock ${lockFile}`)
  writeFileSync(lockFile, `${process.pid}\n`)
  const unlock = release
  return async () => {
    // Emptied before the lock goes, so the next waiter never reads a pid that no longer holds it.
    writeFileSync(lockFile, '')
    await unlock()
  }
}

/**
 * The holder writes its pid just after it takes the lock: a waiter that comes in between finds the file empty, and
 * reads again until the pid is there (or names no one after a second).
 */
async function holderPid(lockFile: string): Promise<string> {
  for (let tries = 0; tries < 50; tries++) {
    const pid = readFileSync(lockFile, 'utf8').trim()
    if (pid) return pid
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return 'unknown'
}

/** Starts a `flock` child; null when the lock is busy and `wait` is false. */
function hold(lockFile: string, wait: boolean): Promise<(() => Promise<void>) | null> {
  const args = [
    ...(wait ? [] : ['--nonblock', '--conflict-exit-code', String(BUSY)]),
    lockFile,
    'sh',
    '-c',
    'echo held; exec cat',
  ]
  const child = spawn('flock', args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new SiteLockError(
          'LAB_SITE_LOCK_FAILED',
          `could not run flock to lock ${lockFile} (install util-linux): ${error.message}`,
          { cause: error },
        ),
      ),
    )
    child.stdout.once('data', () =>
      resolve(async () => {
        child.stdin.end()
        await exited
      }),
    )
    void exited.then((code) => {
      if (code === BUSY && !wait) resolve(null)
      else
        reject(
          new SiteLockError(
            'LAB_SITE_LOCK_FAILED',
            `flock ${lockFile} exited with code ${code} before taking the lock`,
          ),
        )
    })
  })
}
