import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, rm, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabError } from '../../lab-error.ts'
import type { TwinContext } from '../context.ts'
import { isAlive, type ProcessRef, processRef } from '../net/processes.ts'
import { imageOsRelease } from './image-os-release.ts'
import { writeImageTools } from './image-tools.ts'

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
  /**
   * Started with a tty, as kind and containerlab start theirs: its console holds the first pty of its /dev/pts, so
   * an interactive exec there gets /dev/pts/1. [console=false, as a pod's containers]
   */
  console?: boolean
  /**
   * Directories of the lab shown at another path inside, when they exist (a pod's web root at /srv), so `ps` shows
   * no lab path. A path in the container's own /run is made there; any other must exist on the machine.
   */
  binds?: Array<[from: string, to: string]>
}

interface Root {
  /** The container's pid 1, as the lab sees it. */
  init: ProcessRef
  holder: { stop(): Promise<void> }
}

const READY_TIMEOUT_MS = 10_000

/**
 * The container's own instance of /dev/pts, as containerd's and moby's default spec mount it (containerd
 * oci/spec.go defaultMounts, moby oci/defaults.go: nosuid, noexec, newinstance, ptmxmode=0666, mode=0620, gid=5;
 * gid=5 is dropped where the tty group is not mapped, in a rootless lab's user namespace): an interactive exec gets
 * a pty of the container's (/dev/pts/0, 1...), and the container's /dev/ptmx opens that instance (Linux 4.7+ looks
 * for pts/ beside the ptmx node). Best effort: a kernel that refuses it leaves the machine's, and execs on the
 * caller's terminal (containerPtmx).
 */
const DEVPTS = 'nosuid,noexec,newinstance,ptmxmode=0666,mode=0620'

/**
 * Pid 1 of the container, run by root of the lab: `sh -c SCRIPT init HOSTNAME DIR RUNDIR CONSOLE [FROM TO]...`, the
 * first process of its PID namespace, so it mounts that namespace's /proc. The container gets a /dev/pts of its own
 * (DEVPTS; with a console, pid 1 keeps its first pty open, as a console is) and a /run of its own (a tmpfs, as a
 * container has): a daemon's socket lives at the path it has in the real image
 * (a node's GoBGP in /var/run/gobgp), and the machine's /run/netns, whose names `ip` prints for a veth's peer
 * (`link-netns <lab namespace>`), is not there (`link-netnsid 0`, as in a real container). Its /root is its own and
 * empty, as an image's is: a shell there reads no .bashrc and no history of the machine's root, and writes none to it
 * (unless the lab's own dir is under /root, which it must keep).
 * The lab's run dir, when
 * under /run, is bound back at its own path, from a descriptor opened before the tmpfs hid it (-c: mount must not
 * resolve that descriptor to its path, which the tmpfs now covers): the binds and the shells' files come from it.
 * Its own /usr/local/bin and /etc/bash.bashrc (containerFiles) hold the commands and the interactive shell's setup
 * of the image it stands for (a router's vtysh, a node's crictl), so PATH and `ps` name no path of the lab.
 * It then becomes `sleep infinity` (what `ps` shows as pid 1, naming nothing of the lab) with SIGCHLD ignored: the
 * kernel then reaps at once what is orphaned in the container (a `sh -c 'CMD &'` through exec), as a container's init
 * does, with no process of its own for it. It dies with its holder (--pdeathsig).
 */
const INIT = `set -e
mount -t proc proc /proc
if mount -t devpts -o ${DEVPTS},gid=5 devpts /dev/pts || mount -t devpts -o ${DEVPTS} devpts /dev/pts; then
  [ "$4" = 0 ] || command exec 9<>/dev/pts/ptmx || true
fi 2>/dev/null
hostname "$1"
mount --bind "$2/hostname" /etc/hostname
[ ! -f "$2/os-release" ] || mount --bind "$2/os-release" /etc/os-release
dir=$2
lab=$3
shift 4
exec 3<"$lab"
mount -t tmpfs -o mode=755 tmpfs /run
case $lab in /root/*) ;; *) mount -t tmpfs -o mode=700 tmpfs /root ;; esac
case $lab in /run/*) mkdir -p "$lab" && mount -c --bind /proc/self/fd/3 "$lab" ;; esac
exec 3<&-
while [ $# -gt 1 ]; do
  if [ -e "$1" ]; then
    case $2 in /run/*) mkdir -p "$2" ;; esac
    mount --bind "$1" "$2"
  fi
  shift 2
done
[ ! -d /usr/local/bin ] || mount --bind "$dir/bin" /usr/local/bin
[ ! -f /etc/bash.bashrc ] || mount --bind "$dir/bash.bashrc" /etc/bash.bashrc
: > "$dir/ready"
exec setpriv --pdeathsig KILL env --ignore-signal=CHLD sleep infinity`

/**
 * The container's holder, outside its PID namespace (`unshare --pid` without --fork: its first child is the
 * namespace's pid 1, INIT): it waits for that pid 1, and SIGTERM, which a namespace's pid 1 with no handler of its
 * own never receives from outside, makes it SIGKILL it: a container costs two processes (it took three: unshare, a
 * pid-1 shell loop and its sleep), and ends at once on its holder's SIGTERM (a stop, kind delete, the teardown).
 */
const HOLDER = `trap 'kill -KILL $! 2>/dev/null; exit 0' TERM
sh -c "$@" &
wait`

const registry = new WeakMap<TwinContext, Map<string, Promise<Root>>>()

function rootsOf(lab: TwinContext): Map<string, Promise<Root>> {
  let roots = registry.get(lab)
  if (!roots) registry.set(lab, (roots = new Map()))
  return roots
}

/** The argv prefix that runs a command in the container whose pid 1 is `pid`: all its namespaces, network included. */
const enterPid = (pid: number) => ['nsenter', '-t', String(pid), '-n', '-p', '-m', '-u', '--']

/**
 * The first child of `pid`, or null before it exists: the holder's child is the new PID namespace's pid 1, and
 * the child of a daemon started through enterContainer (nsenter forks to join the PID namespace, and passes no
 * signal on) is the daemon itself, which a reload's SIGHUP must reach.
 */
export function firstChild(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    return children ? Number(children.split(' ')[0]) : null
  } catch {
    return null
  }
}

/** Where a container shows its own commands (first on the image's PATH) and its interactive shell's setup. */
export const CONTAINER_BIN = '/usr/local/bin'
export const CONTAINER_BASHRC = '/etc/bash.bashrc'

const rootDir = (lab: TwinContext, key: string) => join(lab.runDir, 'containers', key, 'root')

/** The lab's files a container shows at CONTAINER_BIN and CONTAINER_BASHRC: what is written there shows inside at once. */
export function containerFiles(lab: TwinContext, key: string): { bin: string; bashrc: string } {
  const dir = rootDir(lab, key)
  return { bin: join(dir, 'bin'), bashrc: join(dir, 'bash.bashrc') }
}

async function start(lab: TwinContext, spec: ContainerSpec): Promise<Root> {
  const dir = rootDir(lab, spec.key)
  const files = containerFiles(lab, spec.key)
  mkdirSync(files.bin, { recursive: true })
  writeImageTools(files.bin, spec.image)
  // Kept, not replaced, from one start to the next: the bind holds the file it found.
  if (!existsSync(files.bashrc)) writeFileSync(files.bashrc, '')
  writeFileSync(join(dir, 'hostname'), `${spec.hostname}\n`)
  const osRelease = imageOsRelease(spec.image)
  if (osRelease) writeFileSync(join(dir, 'os-release'), osRelease)
  const ready = join(dir, 'ready')
  rmSync(ready, { force: true })
  const name = `container-${spec.key}`
  const holder = await lab.startDaemon(
    name,
    [
      'unshare',
      '--pid',
      '--uts',
      '--mount',
      'sh',
      '-c',
      HOLDER,
      'holder',
      INIT,
      'init',
      spec.hostname,
      dir,
      realpathSync(lab.runDir),
      spec.console ? '1' : '0',
      ...(spec.binds ?? []).flat(),
    ],
    { ns: spec.ns },
  )
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
  const root = known && (await known.catch(() => undefined))
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

/**
 * The container's pty multiplexer as the lab reaches it (through its pid 1's root), for an exec that gets a pty of
 * the container (exec-attach.ts); undefined when the container has no /dev/pts of its own (DEVPTS was refused).
 */
export async function containerPtmx(lab: TwinContext, spec: ContainerSpec): Promise<string | undefined> {
  const pts = `/proc/${(await rootOf(lab, spec)).init.pid}/root/dev/pts`
  const own = statSync(pts, { throwIfNoEntry: false })
  return own && own.dev !== statSync('/dev/pts').dev ? `${pts}/ptmx` : undefined
}

/**
 * Makes `outside` (a path of the lab) a link to `inside`, a path in the container's own /run, through its pid 1's
 * root: the lab reaches a daemon's socket that the container shows at the image's path. The directory is made, and a
 * file an earlier daemon left there goes first (it would pass for the new daemon's socket).
 */
export async function linkOut(lab: TwinContext, spec: ContainerSpec, inside: string, outside: string): Promise<void> {
  // /var/run is an absolute link to /run, which a path through /proc/PID/root would follow in the lab's own root.
  const target = join(`/proc/${(await rootOf(lab, spec)).init.pid}/root`, inside.replace(/^\/var\/run\//, '/run/'))
  await mkdir(dirname(target), { recursive: true })
  await rm(target, { force: true })
  await rm(outside, { force: true })
  await symlink(target, outside)
}
