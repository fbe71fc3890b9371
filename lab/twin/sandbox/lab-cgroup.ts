/**
 * A cgroup made for one lab, on cgroup v1 (one directory per controller) or v2 (one directory): the kernel then
 * counts the lab's memory as it does a container's (`docker stats`: each page once, charged to whoever first touched
 * it) and, when limits are given, holds the lab to them. Binaries already cached (node, FRR, GoBGP) count against
 * whoever loaded them first, not the lab.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabError } from '../../lab-error.ts'

/** Limits of one lab. Each one left out is not set (the parent's applies). */
export interface CgroupLimits {
  /** Memory the lab's processes may charge (anonymous memory, page cache, tmpfs), in bytes. */
  memoryBytes?: number
  /** Tasks (processes and threads) the lab may have at once. */
  pids?: number
  /** CPU time, in CPUs (1 = one core's worth per period, spread over any core). */
  cpus?: number
}

/** What the kernel charges a cgroup for: all of it, and the part that is the processes' own (anonymous) memory. */
export interface CgroupMemory {
  usage: number
  anon: number
  /** Page cache the lab's processes brought in (files they read or wrote first, such as logs and configs). */
  file: number
}

export interface LabCgroup {
  /** The memory controller's directory (v1) or the cgroup (v2). */
  path: string
  /** Every `cgroup.procs` a process writes its pid to, to join the lab's cgroup in each controller. */
  procsFiles: string[]
  read(): CgroupMemory
  /** Ends whatever still runs in it, then removes it. */
  remove(): Promise<void>
}

const ROOT = '/sys/fs/cgroup'
const CPU_PERIOD_US = 100_000
/** Where a lab cgroup's name starts: `<prefix><hub pid>-`, so a later hub removes those a dead one left. */
const PREFIX = 'bgplab-'

const isV2 = () => existsSync(join(ROOT, 'cgroup.controllers'))

/** This process's cgroup in a v1 controller's hierarchy, or in the v2 one (`controller` undefined). */
function ownCgroup(controller?: string): string {
  const lines = readFileSync('/proc/self/cgroup', 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(':'))
  const found = controller ? lines.find((f) => f[1]?.split(',').includes(controller)) : lines.find((f) => f[0] === '0')
  if (found?.[2] === undefined)
    throw new LabError(
      'LAB_CGROUP_UNAVAILABLE',
      `no ${controller ?? 'cgroup v2'} controller on this machine (/proc/self/cgroup)`,
    )
  return found[2]
}

function write(file: string, value: string): void {
  try {
    writeFileSync(file, value)
  } catch (error) {
    throw new LabError('LAB_CGROUP_UNAVAILABLE', `cannot write ${value} to ${file}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/**
 * v2 lets a cgroup hand controllers to its children only while no process sits in it ("no internal processes"). A hub
 * in a container is usually in the container's top cgroup: it moves itself (and whatever else is there) into a leaf
 * `hub` beside the labs, as container init systems do, and then enables the controllers for the labs.
 */
function enableV2Controllers(parent: string): void {
  const want = ['memory', 'pids', 'cpu'].filter((c) =>
    readFileSync(join(parent, 'cgroup.controllers'), 'utf8')
      .split(' ')
      .map((s) => s.trim())
      .includes(c),
  )
  const control = join(parent, 'cgroup.subtree_control')
  const enabled = readFileSync(control, 'utf8').trim().split(' ')
  const missing = want.filter((c) => !enabled.includes(c))
  if (missing.length === 0) return
  const pids = readFileSync(join(parent, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)
  if (pids.length > 0) {
    const leaf = join(parent, 'hub')
    mkdirSync(leaf, { recursive: true })
    for (const pid of pids) {
      try {
        writeFileSync(join(leaf, 'cgroup.procs'), pid)
      } catch {
        // A kernel thread or a process that just exited: neither blocks the controllers.
      }
    }
  }
  write(control, missing.map((c) => `+${c}`).join(' '))
}

/** Removes the empty lab cgroups of hubs that are gone (a hub killed before it could clean up). */
function sweepDead(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1])
    if (!pid || existsSync(`/proc/${pid}`)) continue
    try {
      rmdirSync(join(parent, name))
    } catch {
      // Still holds processes: not ours to end.
    }
  }
}

/** The directories of a new cgroup `name` (one per v1 controller, or one on v2), made under this process's own. */
function makeDirs(name: string, controllers: string[]): { v2: boolean; dirs: Map<string, string> } {
  const dirs = new Map<string, string>()
  if (isV2()) {
    const parent = join(ROOT, ownCgroup())
    if (controllers.length > 1) enableV2Controllers(parent)
    sweepDead(parent)
    const dir = join(parent, name)
    mkdirSync(dir)
    for (const c of controllers) dirs.set(c, dir)
    return { v2: true, dirs }
  }
  for (const c of controllers) {
    const parent = join(ROOT, c, ownCgroup(c))
    sweepDead(parent)
    const dir = join(parent, name)
    mkdirSync(dir)
    dirs.set(c, dir)
  }
  return { v2: false, dirs }
}

/**
 * Makes the cgroup of one lab, named `bgplab-<this pid>-<name>`, with `limits` (memory, pids and cpu controllers) or
 * only the memory controller when none are given.
 */
export function createLabCgroup(name: string, limits?: CgroupLimits): LabCgroup {
  const controllers = limits ? ['memory', 'pids', 'cpu'] : ['memory']
  const { v2, dirs } = makeDirs(`${PREFIX}${process.pid}-${name}`, controllers)
  const unique = [...new Set(dirs.values())]
  const memory = dirs.get('memory')!
  try {
    if (limits?.memoryBytes)
      write(join(memory, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limits.memoryBytes))
    if (limits?.pids) write(join(dirs.get('pids')!, 'pids.max'), String(limits.pids))
    if (limits?.cpus) {
      const quota = String(Math.round(limits.cpus * CPU_PERIOD_US))
      if (v2) write(join(dirs.get('cpu')!, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`)
      else {
        write(join(dirs.get('cpu')!, 'cpu.cfs_period_us'), String(CPU_PERIOD_US))
        write(join(dirs.get('cpu')!, 'cpu.cfs_quota_us'), quota)
      }
    }
  } catch (error) {
    for (const dir of unique) rmdirSync(dir)
    throw error
  }
  const stat = () =>
    new Map(
      readFileSync(join(memory, 'memory.stat'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    )
  return {
    path: memory,
    procsFiles: unique.map((dir) => join(dir, 'cgroup.procs')),
    read: () => {
      const s = stat()
      const n = (key: string) => Number(s.get(key) ?? 0)
      return v2
        ? { usage: Number(readFileSync(join(memory, 'memory.current'), 'utf8')), anon: n('anon'), file: n('file') }
        : {
            usage: Number(readFileSync(join(memory, 'memory.usage_in_bytes'), 'utf8')),
            anon: n('total_rss'),
            file: n('total_cache'),
          }
    },
    remove: () => removeAll(unique),
  }
}

/** Kills what is left in each directory, until the kernel lets it go (a dying process holds its cgroup a moment). */
async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; ; attempt++) {
      if (!existsSync(dir)) break
      try {
        rmdirSync(dir)
        break
      } catch (error) {
        if (attempt >= 100)
          throw new LabError('LAB_CGROUP_BUSY', `cannot remove ${dir}: ${(error as Error).message}`, { cause: error })
      }
      if (existsSync(join(dir, 'cgroup.kill'))) writeFileSync(join(dir, 'cgroup.kill'), '1')
      else {
        for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL')
          } catch {
            // Already gone.
          }
        }
      }
      await sleep(50)
    }
  }
}

/** The lab cgroups process `ownerPid` made that still exist, in every controller (to check that none is left). */
export function labCgroupsOf(ownerPid: number): string[] {
  const parents = isV2() ? [join(ROOT, ownCgroup())] : ['memory', 'pids', 'cpu'].map((c) => join(ROOT, c, ownCgroup(c)))
  return [...new Set(parents)].flatMap((parent) =>
    readdirSync(parent)
      .filter((name) => name.startsWith(`${PREFIX}${ownerPid}-`))
      .map((name) => join(parent, name)),
  )
}

/** The argv prefix that puts the command it runs (and so all it starts) in the cgroup whose `cgroup.procs` are given. */
export function joinCgroupPrefix(procsFiles: string[]): string[] {
  if (procsFiles.length === 0) return []
  return [
    'sh',
    '-c',
    'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"',
    'sh',
    ...procsFiles,
    '--',
  ]
}

/** A memory-only lab cgroup for measuring (bench/lab, tests): `remove` is synchronous, the lab must be down. */
export function memoryCgroup(name: string): { path: string; read(): CgroupMemory; remove(): void } {
  const cgroup = createLabCgroup(name)
  return { path: cgroup.path, read: cgroup.read, remove: () => rmdirSync(cgroup.path) }
}
