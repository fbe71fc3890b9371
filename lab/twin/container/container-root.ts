import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabError } from '../../lab-error.ts'
import type { TwinContext } from '../context.ts'
import { type ProcessRef, isAlive, processRef } from '../net/processes.ts'
import { imageOsRelease } from './image-os-release.ts'

/**
 * A container of the lab (kind node, router, clab linux node, pod) as a set of namespaces of its own besides its
 * network: PID (`ps` shows its processes only), mount (its /etc/os-release and /etc/hostname, /proc of its PID
 * namespace) and UTS (its host name). The tools stay the machine's binaries. A long-lived first process holds the
 * namespaces, so the container's daemons (FRR, GoBGP, a pod's server) run in them and every exec joins them.
 */
export interface ContainerSpec {
  /** Unique in the lab: the container's name (`pod-<name>` for a pod). */
  key: string
  /** Its network namespace. */
  ns: string
  hostname: string
  /** The image it stands for: picks its /etc/os-release (image-os-release.ts). */
  image: string
  /** Directories of the lab shown at another path inside, when they exist (a pod's web root at /srv), so `ps` shows no lab path. */
  binds?: Array<[from: string, to: string]>
}

interface Root {
  /** The container's pid 1, as the lab sees it. */
  init: ProcessRef
  holder: { stop(): Promise<void> }
}

const READY_TIMEOUT_MS = 10_000

/**
 * Pid 1 of the container, run by root of the lab: `sh -c SCRIPT init HOSTNAME DIR [FROM TO]...`. The tmpfs on
 * /run/netns hides the lab's namespace names, which `ip` prints for a veth's peer (`link-netns <lab namespace>`);
 * without them it prints `link-netnsid 0`, as in a real container. It then becomes a short loop (what `ps` shows as
 * pid 1, naming nothing of the lab) that reaps what is orphaned in the container (a `sh -c 'CMD &'` through exec), as
 * a container's init does; SIGTERM ends it, and the container with it.
 */
const INIT = String.raw`set -e
hostname "$1"
mount --bind "$2/hostname" /etc/hostname
[ ! -f "$2/os-release" ] || mount --bind "$2/os-release" /etc/os-release
[ ! -d /run/netns ] || mount -t tmpfs -o mode=755 tmpfs /run/netns
dir=$2
shift 2
while [ $# -gt 1 ]; do [ ! -e "$1" ] || mount --bind "$1" "$2"; shift 2; done
: > "$dir/ready"
exec sh -c 'trap "exit 0" TERM; while :; do sleep infinity & wait; done' init`

const registry = new WeakMap<TwinContext, Map<string, Promise<Root>>>()

function rootsOf(lab: TwinContext): Map<string, Promise<Root>> {
  let roots = registry.get(lab)
  if (!roots) registry.set(lab, (roots = new Map()))
  return roots
}

/** The argv prefix that runs a command in the container whose pid 1 is `pid`: all its namespaces, network included. */
const enterPid = (pid: number) => ['nsenter', '-t', String(pid), '-n', '-p', '-m', '-u', '--']

/** The first child of `pid` (unshare --fork's child is the new PID namespace's pid 1), or null before it exists. */
function firstChild(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    return children ? Number(children.split(' ')[0]) : null
  } catch {
    return null
  }
}

async function start(lab: TwinContext, spec: ContainerSpec): Promise<Root> {
  const dir = join(lab.runDir, 'containers', spec.key, 'root')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'hostname'), `${spec.hostname}\n`)
  const osRelease = imageOsRelease(spec.image)
  if (osRelease) writeFileSync(join(dir, 'os-release'), osRelease)
  const ready = join(dir, 'ready')
  rmSync(ready, { force: true })
  const name = `container-${spec.key}`
  const holder = await lab.startDaemon(name, [
    'unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--uts', '--mount',
    'sh', '-c', INIT, 'init', spec.hostname, dir, ...(spec.binds ?? []).flat(),
  ], { ns: spec.ns })
  const ref = processRef(holder.pid)
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    const init = firstChild(holder.pid)
    if (init !== null && existsSync(ready)) return { init: processRef(init), holder }
    if (!isAlive(ref) || Date.now() > deadline) {
      await holder.stop()
      const log = join(lab.runDir, 'logs', `${name}.log`)
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n  ') : '(no log)'
      throw new LabError('TWIN_CONTAINER_ROOT', `the namespaces of container ${spec.key} did not come up:\n  ${tail}`)
    }
    await sleep(5)
  }
}

/**
 * True while the container's pid 1 runs with its namespaces. A pid 1 that is ending still shows as a process (it
 * waits there for every process of its PID namespace to be reaped) but has no namespaces left to enter: `nsenter -t`
 * it fails (`cannot open /proc/PID/ns/uts`), so a command or daemon started then would not run at all.
 */
const running = (root: Root) => isAlive(root.init) && existsSync(`/proc/${root.init.pid}/ns/pid`)

/**
 * The container's root, starting its namespaces on first use (or again once they are gone: a pod or node deleted with
 * its network namespace takes them along).
 */
async function rootOf(lab: TwinContext, spec: ContainerSpec): Promise<Root> {
  const roots = rootsOf(lab)
  const known = roots.get(spec.key)
  const root = known && await known.catch(() => undefined)
  if (root && running(root)) return root
  // Unless another caller already replaced it meanwhile: the old holder goes first, freeing its daemon name.
  if (roots.get(spec.key) === known) {
    const next = (async () => {
      await root?.holder.stop()
      return start(lab, spec)
    })()
    roots.set(spec.key, next)
    next.catch(() => {
      if (roots.get(spec.key) === next) roots.delete(spec.key)
    })
  }
  return roots.get(spec.key)!
}

/**
 * Ends the container `key` as `docker kill` does (SIGKILL to its pid 1 ends every process of its PID namespace) and
 * resolves once its holder exited, which is once that pid 1 was reaped: its namespaces are gone, and the next
 * container of that key starts afresh. Its owner calls this before deleting the network namespace it lives in, so
 * that a container made again right after (a pod rebuilt with its name) is never handed the ending one.
 */
export async function stopContainer(lab: TwinContext, key: string): Promise<void> {
  const roots = rootsOf(lab)
  const known = roots.get(key)
  if (!known) return
  roots.delete(key)
  const root = await known.catch(() => undefined)
  if (!root) return
  try {
    process.kill(root.init.pid, 'SIGKILL')
  } catch {
    // already gone
  }
  await root.holder.stop()
}

/** The argv prefix that runs a command inside the container (see rootOf). */
export async function enterContainer(lab: TwinContext, spec: ContainerSpec): Promise<string[]> {
  return enterPid((await rootOf(lab, spec)).init.pid)
}
