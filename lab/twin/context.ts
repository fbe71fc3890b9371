import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { LabError } from '../lab-error.ts'
import { labHostPaths } from './daemon/lab-host.ts'
import { destroyLab, markerExists, removePid, writeMarker, writePid } from './net/lab-marker.ts'
import { createNamespace, deleteNamespace } from './net/netns.ts'
import { processRef, terminate } from './net/processes.ts'

export interface ContainerInfo {
  /** docker-visible name: "clab-bgp-control-plane", "clab-bgp-leaf0", "clab-bgp-server1". */
  name: string
  /** "kindest/node:v1.23.4", "vyos/vyos:1.2.8", ... */
  image: string
  /** Network namespace the container's processes live in. */
  ns: string
  /** host-sharing: clab node with network-mode: container:<x>. */
  kind: 'kind-node' | 'router' | 'host-sharing'
  /** ms since epoch. */
  createdAt: number
  labels: Record<string, string>
}

export interface TwinContext {
  /** Short unique lab id (e.g. "t3f9a1"): the prefix of every namespace, so labs never collide and leftovers are found. */
  readonly id: string
  /** Private per-lab dir (state, sockets, configs, pid files); removed by teardown. */
  readonly runDir: string
  /** The learner's files (copy of workspace/): the default cwd of the lab-host shell. */
  readonly workspace: string
  /** Namespace name for a lab device, e.g. ns('host'), ns('clab-bgp-leaf0'), ns('pod-cni-8cnm5'). Max 40 chars. */
  ns(device: string): string
  /** Creates a namespace (lo up, ip_forward and rp_filter settings given) and records it for teardown. */
  addNamespace(name: string, options?: { forwarding?: boolean }): Promise<void>
  deleteNamespace(name: string): Promise<void>
  /** Runs a short command, inside namespace `ns` when given; never throws on a non-zero exit. */
  run(
    argv: string[],
    options?: { ns?: string; input?: string; timeoutMs?: number; exact?: boolean },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>
  /** Starts a long-running process (inside `ns` when given), supervised by pid and killed by teardown. */
  startDaemon(
    name: string,
    argv: string[],
    options?: { ns?: string; cwd?: string; env?: Record<string, string> },
  ): Promise<{ pid: number; stop(): Promise<void> }>
  /** The lab's "containers": what `docker ps` lists and `docker exec` enters. kind adds nodes, clab adds routers. */
  readonly containers: Map<string, ContainerInfo>
  /** Emits 'changed' (no payload) after any tool changed the lab, so controllers can reconcile. */
  readonly events: import('node:events').EventEmitter
}

export interface TwinContextOptions {
  /** Lab id; default a fresh `tw` + 4 hex digits not used by any live lab. */
  id?: string
  /** Parent of the run dir. [stateRoot='/run/bgplab'] (tmpfs: nothing survives a reboot). */
  stateRoot?: string
}

const DEFAULT_RUN_TIMEOUT_MS = 30_000

/** Budget for a namespace name (the contract's 40 chars), so long pod names still fit. */
const NS_MAX = 40

/** The namespace of a lab device: `<id>-<device>`, shortened with a hash past the 40-char budget. */
export function labNamespace(id: string, device: string): string {
  const name = `${id}-${device}`
  if (name.length <= NS_MAX) return name
  const hash = createHash('sha1').update(device).digest('hex').slice(0, 6)
  return `${name.slice(0, NS_MAX - 7)}-${hash}`
}

/** The lab's context: a TwinContext plus `teardown()` for its owner (the twin daemon or a test). */
export class LabContext implements TwinContext {
  readonly containers = new Map<string, ContainerInfo>()
  readonly events = new EventEmitter()
  readonly workspace: string
  private readonly daemons = new Map<string, { pid: number; stop(): Promise<void> }>()
  private readonly teardownHooks: Array<() => Promise<void> | void> = []

  constructor(
    readonly id: string,
    readonly runDir: string,
  ) {
    this.workspace = labHostPaths(runDir).workspace
    this.events.setMaxListeners(50)
  }

  ns(device: string): string {
    return labNamespace(this.id, device)
  }

  addNamespace(name: string, options: { forwarding?: boolean } = {}): Promise<void> {
    return createNamespace(name, options)
  }

  deleteNamespace(name: string): Promise<void> {
    return deleteNamespace(name)
  }

  /** Runs `argv` (in `ns`); `exact` keeps the output byte for byte (a learner's command), else its final newline goes. */
  async run(argv: string[], options: { ns?: string; input?: string; timeoutMs?: number; exact?: boolean } = {}) {
    const full = options.ns ? ['ip', 'netns', 'exec', options.ns, ...argv] : argv
    const result = await execa(full[0], full.slice(1), {
      reject: false,
      stripFinalNewline: !options.exact,
      timeout: options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
      forceKillAfterDelay: 1000,
      // Never inherit the daemon's stdin: a command waiting on it would hang until the timeout.
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    })
    const exitCode =
      result.exitCode ?? (result.timedOut ? 124 : 128 + (constants.signals[result.signal as NodeJS.Signals] ?? 0))
    return { exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') }
  }

  async startDaemon(
    name: string,
    argv: string[],
    options: { ns?: string; cwd?: string; env?: Record<string, string> } = {},
  ) {
    if (this.daemons.has(name))
      throw new LabError('TWIN_DAEMON_EXISTS', `daemon ${name} is already running in lab ${this.id}`)
    const full = options.ns ? ['ip', 'netns', 'exec', options.ns, ...argv] : argv
    const logDir = join(this.runDir, 'logs')
    mkdirSync(logDir, { recursive: true })
    const log = openSync(join(logDir, `${name}.log`), 'a')
    // Detached: its own process group, so teardown can kill helpers it forks; `ip netns exec` execs the command,
    // so the pid is the daemon's own.
    const child = spawn(full[0], full.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', reject)
    })
    child.unref()
    const ref = processRef(child.pid!)
    writePid(this.runDir, name, ref)
    const handle = {
      pid: ref.pid,
      stop: async () => {
        await terminate(ref, { group: true })
        removePid(this.runDir, name)
        this.daemons.delete(name)
      },
    }
    child.once('exit', () => {
      if (this.daemons.get(name) === handle) this.daemons.delete(name)
      removePid(this.runDir, name)
    })
    this.daemons.set(name, handle)
    return handle
  }

  /** Runs `hook` at the start of teardown, before daemons and namespaces go (controllers stop first). */
  onTeardown(hook: () => Promise<void> | void): void {
    this.teardownHooks.push(hook)
  }

  /** Kills every daemon, deletes every namespace of the lab's prefix, removes the run dir. Safe to call twice. */
  async teardown(): Promise<void> {
    for (const hook of this.teardownHooks.splice(0)) {
      await Promise.resolve(hook()).catch(() => undefined)
    }
    await Promise.all([...this.daemons.values()].map((daemon) => daemon.stop()))
    await destroyLab(this.id, this.runDir)
    this.containers.clear()
  }
}

function freshId(): string {
  for (;;) {
    const id = `tw${randomBytes(2).toString('hex')}`
    if (!markerExists(id)) return id
  }
}

/**
 * Creates a lab context owned by the calling process: run dir, workspace dir and the marker that lets a later lab
 * clean up if this process dies without `teardown()`.
 */
export function createTwinContext(options: TwinContextOptions = {}): LabContext {
  const id = options.id ?? freshId()
  const runDir = join(options.stateRoot ?? '/run/bgplab', id)
  const lab = new LabContext(id, runDir)
  const { home } = labHostPaths(runDir)
  mkdirSync(home, { recursive: true })
  // Owner-only whatever the umask: the workspace (kubeconfig, the learner's files) and the shell's history are no
  // other local user's to read. Only HOME: FRR's own user must still reach its routers' folders under the run dir.
  chmodSync(home, 0o700)
  mkdirSync(lab.workspace, { recursive: true })
  writeMarker(id, runDir, processRef(process.pid))
  return lab
}
