import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A process identified by pid AND kernel start time, so a pid reused by an unrelated process after a crash is never
 * mistaken for one of the lab's daemons.
 */
export interface ProcessRef {
  pid: number
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot); null when unknown. */
  startTime: number | null
}

export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[19])
  } catch {
    return null
  }
}

export function processRef(pid: number): ProcessRef {
  return { pid, startTime: processStartTime(pid) }
}

/** True when the process exists, is not a zombie, and (when known) is the same process that was recorded. */
export function isAlive(ref: ProcessRef): boolean {
  let state: string
  try {
    const stat = readFileSync(`/proc/${ref.pid}/stat`, 'utf8')
    state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  } catch {
    return false
  }
  if (state === 'Z' || state === 'X') return false
  return ref.startTime === null || processStartTime(ref.pid) === ref.startTime
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

/**
 * SIGTERM, wait up to `graceMs` for the process to go, then SIGKILL. `group` also signals the process group the
 * process leads (daemons are spawned detached, so their helpers die with them).
 */
export async function terminate(ref: ProcessRef, options: { graceMs?: number; group?: boolean } = {}): Promise<void> {
  if (!isAlive(ref)) return
  const targets = options.group ? [-ref.pid, ref.pid] : [ref.pid]
  for (const target of targets) signal(target, 'SIGTERM')
  const deadline = Date.now() + (options.graceMs ?? 2000)
  while (Date.now() < deadline) {
    if (!isAlive(ref)) return
    await sleep(20)
  }
  for (const target of targets) signal(target, 'SIGKILL')
  for (let i = 0; i < 50 && isAlive(ref); i++) await sleep(20)
}
