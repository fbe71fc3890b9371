/**
 * The sandbox of a lab on a machine it shares with others (a hosted lab on the hub's machine): the learner gets root in
 * the lab and nothing outside it. Built in two layers, because each closes a door the other leaves open:
 *
 *  1. Made by root: new mount, pid, UTS and IPC namespaces; a /proc of the lab's pid namespace; private tmpfs on
 *     /run, /tmp, /var/tmp and /dev/shm (the machine's shared scratch space, where labs would otherwise read each other's
 *     files and leave theirs behind); the hostname. The lab's user namespace is made after these, so the kernel locks
 *     every one of these mounts: root in the lab cannot unmount /proc to reveal the machine's processes, nor the tmpfs
 *     to reveal the machine's /tmp (with one layer, made by the user namespace itself, it can).
 *  2. Made as the lab's own unprivileged uid (lab-uid.ts): a user namespace where that uid is root, with the lab's
 *     mount and network namespaces. Root in the lab is that uid on the machine, so it can read only what anyone can
 *     read, and signal or trace no process but the lab's.
 *
 * Everything runs in a cgroup of the lab (memory, pids, cpu limits), joined before the first namespace is made, and
 * with no environment but a whitelist (lab-host.ts). A command enters the lab in one nsenter run by root, with no
 * supplementary groups: it joins every namespace of the lab, the user namespace last, and only then becomes the lab's
 * root (`--setuid 0`, which is the lab's uid on the machine) and runs the command, which so never keeps root's identity
 * on the machine's files. It must not drop to the lab's uid first and join afterwards (a second nsenter, as it once
 * did): that process was the lab's uid, in the lab's pid namespace, in the machine's mount and network namespaces, and
 * a process of one's own uid may be traced and have its /proc files opened. Root in the lab caught entering probes so
 * and held `/proc/<pid>/root`, the machine's own `/`. Joining as root leaves no such moment: until the user namespace
 * the process is the machine's root, and from it on it is not dumpable (its credentials changed), which only
 * CAP_SYS_PTRACE in the machine's user namespace overrides.
 */
import { execa } from 'execa'
import { LabError } from '../../lab-error.ts'
import { type CgroupLimits, createLabCgroup, joinCgroupPrefix, type LabCgroup } from './lab-cgroup.ts'
import { allocateLabUid } from './lab-uid.ts'

export interface SandboxOptions extends CgroupLimits {
  /** [memoryBytes=1 GiB] Memory the lab may charge, tmpfs files included (the converged lab charges about 111 MiB). */
  memoryBytes?: number
  /** [pids=512] Processes and threads at once (the converged lab, its shell included, has about 90). */
  pids?: number
  /** [cpus=1] CPU time, in cores. */
  cpus?: number
  /** ['kind'] The lab host's name: the real lab's is the kind host's. */
  hostname?: string
  /**
   * Paths under /run, /tmp, /var/tmp or /dev/shm that stay visible in the lab (read-only) although those are private to
   * it: the runner's shell-integration rc when its state dir is there. Paths elsewhere need not be listed.
   */
  share?: string[]
}

/** The lab's command search path: the system's (the caller's PATH tells of the caller, and its folders are not the lab's). */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export const SANDBOX_DEFAULTS = { memoryBytes: 1024 ** 3, pids: 512, cpus: 1, hostname: 'kind' } as const

/** Layer 1, run by root as the new pid namespace's first process: `sh -c SCRIPT sh <hostname> <share>... -- <command>`. */
const PRIVATE_MOUNTS = `set -e
hostname "$1"; shift
for dir in /run /tmp /var/tmp /dev/shm; do
  exec 3<"$dir"
  mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$dir"
  for path in "$@"; do
    [ "$path" = -- ] && break
    case "$path" in "$dir"/*) ;; *) continue ;; esac
    rel=${'$'}{path#"$dir"/}
    if [ -d "/proc/$$/fd/3/$rel" ]; then mkdir -p "$path"; else mkdir -p "${'$'}{path%/*}"; : > "$path"; fi
    mount --no-canonicalize --bind "/proc/$$/fd/3/$rel" "$path"
    mount -o remount,bind,ro "$path"
  done
  exec 3<&-
done
while [ "$1" != -- ]; do shift; done
shift
exec "$@"`

export interface Sandbox {
  /** The lab's uid on the machine (root inside). */
  uid: number
  cgroup: LabCgroup
  /** The argv that runs `command` as the first process of a new sandbox (its pid 1, as root of the lab). */
  start(command: string[]): string[]
  /** The argv prefix that runs a command in the sandbox whose first process is `pid` (as seen from here). */
  enter(pid: number): string[]
  /** Of `paths`, those the lab's uid cannot read (the daemon's script, node, the course's files). */
  unreadable(paths: string[]): Promise<string[]>
  /** Removes the cgroup (ending what is left in it) and frees the uid; safe to call more than once. */
  dispose(): Promise<void>
}

/** Makes the cgroup and picks the uid of one lab named `name`; root only. */
export function createSandbox(name: string, options: SandboxOptions = {}): Sandbox {
  if (process.getuid?.() !== 0) {
    throw new LabError(
      'TWIN_SANDBOX_NEEDS_ROOT',
      'a sandboxed lab runs as a uid of its own, which only root can switch to: run with sudo',
    )
  }
  const settings = { ...SANDBOX_DEFAULTS, ...options }
  const { uid, release } = allocateLabUid()
  let cgroup: LabCgroup
  try {
    cgroup = createLabCgroup(name, { memoryBytes: settings.memoryBytes, pids: settings.pids, cpus: settings.cpus })
  } catch (error) {
    release()
    throw error
  }
  const asLab = ['setpriv', '--reuid', String(uid), '--regid', String(uid), '--clear-groups', '--no-new-privs']
  let disposed: Promise<void> | undefined
  return {
    uid,
    cgroup,
    start: (command) => [
      ...joinCgroupPrefix(cgroup.procsFiles),
      'unshare',
      '--mount',
      '--pid',
      '--fork',
      '--mount-proc',
      '--uts',
      '--ipc',
      '--kill-child',
      'sh',
      '-c',
      PRIVATE_MOUNTS,
      'sh',
      settings.hostname,
      ...(settings.share ?? []),
      '--',
      ...asLab,
      'unshare',
      '--user',
      '--map-root-user',
      '--mount',
      '--net',
      ...command,
    ],
    enter: (pid) => [
      ...joinCgroupPrefix(cgroup.procsFiles),
      // util-linux sys-utils/nsenter.c (2.38, Debian 12): as root it enters every namespace but the user one, then the
      // user one, then forks into the pid namespace, then setgroups, setgid and setuid (0 in the lab), then execs.
      'setpriv',
      '--clear-groups',
      '--no-new-privs',
      'nsenter',
      '-t',
      String(pid),
      '-p',
      '-u',
      '-i',
      '-U',
      '-m',
      '-n',
      '--setuid',
      '0',
      '--setgid',
      '0',
      '--',
    ],
    async unreadable(paths) {
      const checks = await Promise.all(
        paths.map((path) => execa(asLab[0], [...asLab.slice(1), 'test', '-r', path], { reject: false })),
      )
      return paths.filter((_, i) => checks[i].exitCode !== 0)
    },
    dispose: () => (disposed ??= cgroup.remove().finally(release)),
  }
}
