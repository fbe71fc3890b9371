import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { execa } from 'execa'
import { listNamespaces } from '../../lab/twin/net/netns.ts'

/** Measurement helpers: kernel routes read straight from a namespace (a few ms per read) and memory of processes. */

export interface KernelRoute {
  dst: string
  gateway?: string
  nexthops?: Array<{ gateway: string }>
}

export async function kernelRoutes(ns: string): Promise<KernelRoute[]> {
  const result = await execa('ip', ['-n', ns, '-j', 'route', 'show', 'proto', 'bgp'], { reject: false })
  return result.exitCode === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as KernelRoute[]) : []
}

/** Polls every `intervalMs` until `done` holds; returns the time it first held (ms since epoch). */
export async function waitFor(
  what: string,
  done: () => Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 10,
): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await done()) return Date.now()
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(intervalMs)
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return '?'
  }
}

function memoryOf(pid: number): { rss: number; pss: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024
    return { rss: field('Rss'), pss: field('Pss') }
  } catch {
    return { rss: 0, pss: 0 }
  }
}

/** Every process of a lab: those inside its namespaces plus the given extra pids (the daemon, outside them). */
export interface LabMemory {
  processes: number
  rss: number
  pss: number
  /** Command name -> { count, rss, pss } */
  byCommand: Map<string, { count: number; rss: number; pss: number }>
}

export async function labMemory(id: string, extraPids: number[]): Promise<LabMemory> {
  const pids = new Set(extraPids)
  for (const ns of (await listNamespaces()).filter((name) => name.startsWith(`${id}-`))) {
    const result = await execa('ip', ['netns', 'pids', ns], { reject: false })
    for (const pid of String(result.stdout).split('\n').map(Number).filter(Boolean)) pids.add(pid)
  }
  let rss = 0
  let pss = 0
  const byCommand = new Map<string, { count: number; rss: number; pss: number }>()
  for (const pid of pids) {
    const memory = memoryOf(pid)
    rss += memory.rss
    pss += memory.pss
    const entry = byCommand.get(commandOf(pid)) ?? { count: 0, rss: 0, pss: 0 }
    byCommand.set(commandOf(pid), { count: entry.count + 1, rss: entry.rss + memory.rss, pss: entry.pss + memory.pss })
  }
  return { processes: pids.size, rss, pss, byCommand }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** A memory cgroup made for one lab: lab code owns it (a sandboxed lab's limits use the same cgroup). */
export { type CgroupMemory, memoryCgroup } from '../../lab/twin/sandbox/lab-cgroup.ts'
