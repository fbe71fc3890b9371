/**
 * CPU ticks and memory of a set of processes, read from /proc: what one lab costs the machine. PSS shares each
 * shared page among the processes mapping it, so the sum over a lab is its fair share of memory.
 */

import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Every live process below `root` in the parent tree. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = read(`/proc/${name}/stat`)
    if (!stat) continue
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
  }
  const out: number[] = []
  const queue = [root]
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child)
      queue.push(child)
    }
  }
  return out
}

/** Processes inside the network namespaces whose names start with `prefix` (daemons that detached from their parent). */
export function namespacePids(prefix: string): number[] {
  const names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(prefix))
  return names.flatMap((ns) =>
    execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number),
  )
}

export interface Usage {
  processes: number
  /** utime+stime+cutime+cstime of the processes, in seconds (children they reaped included). */
  cpuSeconds: number
  rssMiB: number
  pssMiB: number
}

export function usage(pids: number[]): Usage {
  let cpu = 0
  let rss = 0
  let pss = 0
  let processes = 0
  for (const pid of new Set(pids)) {
    const stat = read(`/proc/${pid}/stat`)
    const rollup = read(`/proc/${pid}/smaps_rollup`)
    if (!stat || !rollup) continue
    processes++
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    cpu += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
    pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
  }
  return { processes, cpuSeconds: cpu / TICKS_PER_SECOND, rssMiB: rss / 1024, pssMiB: pss / 1024 }
}
