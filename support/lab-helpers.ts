/**
 * Helpers shared by the `*.lab.test.ts` files: commands on a lab host, waiting for the lab to get somewhere, and
 * waiting for processes to be gone before asserting that nothing was left behind.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll } from 'vitest'
import type { LabBackend } from '../lab/backend.ts'
import { createTwinBackend } from '../lab/twin/backend.ts'

/** The seed's commands that build the whole lab on the lab host: kind, the bridges, the fabric, Cilium, pods, policies. */
export const SEED_LAB_BUILD = [
  'bash install.sh',
  'brctl addbr br-leaf0 && ip link set br-leaf0 up && brctl addbr br-leaf1 && ip link set br-leaf1 up',
  'clab deploy -t cilium.bgp.clab.yml',
  'bash cilium.sh',
  'kubectl apply -f cni.yaml && kubectl apply -f bgp_peering_policy.yaml',
]

/** How long `until` keeps trying and how often. */
export interface UntilOptions {
  /** Give up after this long. [timeoutMs=30000] */
  timeoutMs?: number
  /** Pause between tries. [intervalMs=250] */
  intervalMs?: number
}

/**
 * Calls `probe` until it returns something other than undefined or false, and returns that. A probe that throws is
 * tried again (the lab may still be converging); on timeout the error names `what` and the probe's last error.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: UntilOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 250 } = options
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await sleep(intervalMs)
  }
}

/**
 * A `sh` for a lab backend: runs a command on the lab host with `bash -c` and returns its stdout, throwing with the
 * command, exit code and output when it fails. `lab` is read at each call (tests assign it in beforeAll).
 */
export function labShell(lab: () => LabBackend, timeoutMs = 120_000): (command: string) => Promise<string> {
  return async (command) => {
    const result = await lab().exec(command, { timeoutMs })
    if (result.exitCode !== 0)
      throw new Error(`${command} exited ${result.exitCode}:\n${result.stdout}${result.stderr}`)
    return result.stdout
  }
}

/**
 * A twin lab built with the seed walkthrough's commands before the tests of the calling file, and torn down after
 * them: `sh` runs a command on its lab host (see labShell), `lab()` is the backend for the rest.
 */
export function useSeedLab(): { lab: () => LabBackend; sh: (command: string) => Promise<string> } {
  let lab: LabBackend | undefined
  const current = () => {
    if (!lab) throw new Error('the seed lab is not up: use it from a test, not at the top of the file')
    return lab
  }
  const sh = labShell(current)
  beforeAll(async () => {
    const created = createTwinBackend()
    lab = created
    await created.up()
    for (const command of SEED_LAB_BUILD) await sh(command)
  }, 180_000)
  afterAll(async () => {
    await lab?.down()
  }, 60_000)
  return { lab: current, sh }
}

/** A process still alive, with its command line (for a failure message). */
export interface LeftProcess {
  pid: number
  command: string
}

/** Every process of user `uid` (pgrep -u), with its command line. */
export function processesOf(uid: number): Promise<LeftProcess[]> {
  return new Promise((resolve) => {
    execFile('pgrep', ['-u', String(uid), '-a'], (_error, stdout) => {
      resolve(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [pid, ...command] = line.split(' ')
            return { pid: Number(pid), command: command.join(' ') }
          }),
      )
    })
  })
}

/**
 * Waits until none of `pids` exists any more (a process the kernel is still ending or its parent has not reaped yet
 * still has its /proc entry), or `timeoutMs` passed. Returns the pids still there.
 */
export async function waitForExit(pids: number[], timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const alive = pids.filter((pid) => existsSync(`/proc/${pid}`))
    if (alive.length === 0 || Date.now() > deadline) return alive
    await sleep(100)
  }
}
