/**
 * The twin lab backend: a lab host namespace whose shell has the twin's kind, clab, docker, helm and kubectl on PATH,
 * all served by one twin daemon per lab. `up` starts the daemon; `down` (or the runner's death, which closes the
 * daemon's stdin) tears everything down. As root the lab's namespaces are the machine's; as any other user the whole
 * lab lives in a user namespace of its own (rootless), where the kernel allows it. With `sandbox` (root only, for labs
 * of learners who are not the machine's owner) it is rootless too, as a uid of its own, in a sandbox (sandbox/).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ExecOptions, LabBackend, LabEvents, LabStatus, ShellSpec } from '../backend.ts'
import { WORKSPACE_SOURCE } from '../copy-workspace.ts'
import { LabError } from '../lab-error.ts'
import { runBash } from '../run-bash.ts'
import { daemonBundle } from './daemon/daemon-bundle.ts'
import { followDaemonLog } from './daemon/daemon-log.ts'
import { type DaemonReady, type LabHostPaths, labEnv, labHostEnv, labHostPaths } from './daemon/lab-host.ts'
import { twinPreflight } from './daemon/preflight.ts'
import { cleanLeftovers } from './net/lab-marker.ts'
import { enterRootless, userNamespacesAllowed } from './net/userns.ts'
import { joinCgroupPrefix } from './sandbox/lab-cgroup.ts'
import { createSandbox, SANDBOX_PATH, type Sandbox, type SandboxOptions } from './sandbox/sandbox.ts'

export interface TwinBackendOptions {
  /** Folder copied into the lab as the learner's files. [workspaceSource=<repo>/workspace] */
  workspaceSource?: string
  /**
   * Keep the learner's files here across labs (`~/lab` on the lab host links to it; only missing files are copied
   * in, so edits survive a restart). Default: none, the files live and go with the lab.
   */
  keepWorkspace?: string
  /** Parent of the per-lab run dir. [stateRoot='/run/bgplab'] */
  stateRoot?: string
  /** Receives the daemon's log lines (tool failures, teardown). Default: dropped. */
  onLog?: (line: string) => void
  /**
   * How the daemon's TypeScript runs: 'bundle' (built once by esbuild, cached until a source changes; falls back to
   * tsx when it cannot be built) or 'tsx' (compiled on import, by a loader thread that stays resident). ['bundle']
   */
  daemonRuntime?: 'bundle' | 'tsx'
  /**
   * A cgroup directory (root only) the daemon starts in, and with it everything it starts (routers, speakers, pods):
   * the kernel then accounts the lab's memory as it does a container's (bench/lab reads it). The learner's shell and
   * the probes stay the caller's. Default: the caller's own cgroup.
   */
  cgroup?: string
  /**
   * Run the lab in a sandbox (root only): its own uid, pid, mount, UTS, IPC, network and user namespaces, private
   * scratch dirs, an environment whitelist and a cgroup with limits (defaults in `SANDBOX_DEFAULTS`: 1 GiB, 512 pids,
   * 1 CPU). For a lab whose shell belongs to someone other than the machine's owner (hosted labs). A `stateRoot` or
   * `keepWorkspace` must then be writable by the lab's uid (hosted labs set neither). Default: off.
   */
  sandbox?: boolean | SandboxOptions
}

const DAEMON_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'daemon', 'main.ts')
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 20_000

interface Running {
  daemon: ChildProcess
  ready: DaemonReady
  paths: LabHostPaths
  /** Argv prefix into a rootless lab's namespaces (empty as root). */
  enter: string[]
  sandbox?: Sandbox
}

const ROOTLESS_UNSHARE = [
  '--user',
  '--map-root-user',
  '--mount',
  '--net',
  '--pid',
  '--fork',
  '--mount-proc',
  '--kill-child',
]

/** What a lab host's environment is made from: the caller's, but a sandbox's PATH is the system's, not the caller's. */
function envBase(sandbox: Sandbox | undefined): NodeJS.ProcessEnv {
  return sandbox ? { ...process.env, PATH: SANDBOX_PATH } : process.env
}

/** The process `unshare --fork` started: the daemon, by its pid outside the lab's pid namespace. */
function childPid(unsharePid: number): number {
  const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(' ')
  return Number(children[0])
}

/**
 * A command on the lab host: `ip netns exec <host ns>`, entered through the lab's namespaces when rootless. The
 * working directory is set after entering (`env -C`): a rootless lab's files exist only inside its mount namespace.
 */
function onLabHost(running: Running, argv: string[], cwd: string): { file: string; args: string[]; cwd: string } {
  const full = running.enter.length
    ? [...running.enter, 'env', '-C', cwd, 'ip', 'netns', 'exec', running.ready.hostNs, ...argv]
    : ['ip', 'netns', 'exec', running.ready.hostNs, ...argv]
  return { file: full[0], args: full.slice(1), cwd: running.enter.length ? '/' : cwd }
}

export function createTwinBackend(options: TwinBackendOptions = {}): LabBackend {
  const events = new EventEmitter()
  let status: LabStatus = { kind: 'twin', state: 'not-started' }
  let running: Running | undefined
  let starting: Promise<void> | undefined

  const setStatus = (next: Partial<LabStatus>) => {
    status = { ...status, ...next }
    events.emit('status', status)
  }
  const progress = (phase: string, message: string) => events.emit('progress', { phase, message })
  const fail = (code: string, reason: string): never => {
    setStatus({ state: 'failed', reason })
    throw new LabError(code, reason)
  }

  async function start(signal?: AbortSignal): Promise<void> {
    setStatus({ state: 'starting', reason: undefined })
    progress('preflight', 'checking frr, gobgpd, nftables, iproute2, bridge-utils, busybox, tcpdump, curl, ping')
    const sandbox = options.sandbox
      ? createSandbox(randomBytes(4).toString('hex'), sandboxOptions(options.sandbox))
      : undefined
    try {
      await startDaemon(sandbox, signal)
    } catch (error) {
      await sandbox?.dispose()
      throw error
    }
  }

  /**
   * The sandbox as asked, plus what the daemon reads at start, which must stay visible when it lies in a folder the
   * sandbox makes private (a checkout or a workspace source under /tmp).
   */
  function sandboxOptions(asked: true | SandboxOptions): SandboxOptions {
    const given = asked === true ? {} : asked
    const source = options.workspaceSource ? [resolve(options.workspaceSource)] : []
    return { ...given, share: [...(given.share ?? []), REPO, ...source] }
  }

  async function startDaemon(sandbox: Sandbox | undefined, signal?: AbortSignal): Promise<void> {
    const rootless = sandbox !== undefined || process.getuid?.() !== 0
    if (rootless && !sandbox) {
      const userns = await userNamespacesAllowed()
      if (!userns.allowed) {
        fail(
          'TWIN_NEEDS_ROOT',
          [
            'the twin lab needs root, or user namespaces to run without it, and this kernel refuses them',
            `unshare: ${userns.reason}`,
            'run the course with sudo, or allow user namespaces (sysctl kernel.unprivileged_userns_clone=1;',
            'on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0)',
          ].join('\n  '),
        )
      }
    }
    const found = await twinPreflight()
    setStatus({ tools: found.tools })
    if (found.missing.length > 0) {
      fail(
        'LAB_TOOLS_MISSING',
        `missing packages: ${found.missing.join(', ')}. Install them with:\n  ${found.installCommand}`,
      )
    }
    progress('daemon', 'starting the twin daemon')
    // The daemon mostly waits on the tools it runs, so V8 is told to favour memory over speed: a small young
    // generation, --optimize-for-size, and --lite-mode (no optimizing compiler), at no measurable cost to the lab's
    // timings (bench/results/decisions.md has the numbers).
    const entry = await daemonEntry()
    const args = ['--max-semi-space-size=1', '--optimize-for-size', '--lite-mode', ...entry]
    const unreadable = await sandbox?.unreadable([
      process.execPath,
      entry.at(-1)!,
      options.workspaceSource ?? WORKSPACE_SOURCE,
    ])
    if (unreadable?.length) {
      fail(
        'TWIN_SANDBOX_UNREADABLE',
        [
          `the sandboxed lab runs as uid ${sandbox!.uid}, which cannot read ${unreadable.join(', ')}`,
          'keep the course where any user may read it (chmod -R o+rX, and not under a private folder such as /root)',
        ].join('\n  '),
      )
    }
    if (options.stateRoot) args.push('--state-root', options.stateRoot)
    if (options.workspaceSource) args.push('--workspace-source', options.workspaceSource)
    if (options.keepWorkspace) args.push('--keep-workspace', resolve(options.keepWorkspace))
    // Own process group: a Ctrl-C meant for the runner's terminal must not kill the lab. It still dies with the
    // runner, because the runner holds the write end of its stdin.
    // Rootless: one user namespace (the learner's uid as root) with its own mount, network and pid namespaces; the
    // daemon is its pid 1, so the kernel ends every process of the lab when the daemon goes, however it goes.
    // The daemon gets the whitelisted environment only (lab-host.ts), as everything of the lab does.
    const full = sandbox
      ? sandbox.start([process.execPath, ...args, '--rootless'])
      : [
          // The shell joins the cgroup, then becomes the daemon: no process of the lab starts outside it.
          ...joinCgroupPrefix(options.cgroup ? [join(options.cgroup, 'cgroup.procs')] : []),
          ...(rootless
            ? ['unshare', ...ROOTLESS_UNSHARE, process.execPath, ...args, '--rootless']
            : [process.execPath, ...args]),
        ]
    // A sandboxed daemon may not be allowed into the caller's working directory: it starts in /.
    const daemon = spawn(full[0], full.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: labEnv(envBase(sandbox)),
      cwd: sandbox ? '/' : undefined,
    })
    followDaemonLog(daemon.stderr!, options.onLog)
    const ready = await waitForReady(daemon, signal)
    const enter = sandbox ? sandbox.enter(childPid(daemon.pid!)) : rootless ? enterRootless(childPid(daemon.pid!)) : []
    running = { daemon, ready, paths: labHostPaths(ready.runDir), enter, sandbox }
    daemon.once('exit', (code) => {
      if (running?.daemon !== daemon) return
      running = undefined
      void sandbox?.dispose()
      if (status.state !== 'stopping')
        setStatus({ state: 'failed', reason: `the twin daemon exited unexpectedly (code ${code})` })
    })
    progress('workspace', `lab files in ${ready.workspace}`)
    setStatus({ state: 'ready', workspace: ready.workspace })
  }

  /** The daemon's script: the cached bundle, or main.ts through tsx when asked or when the bundle cannot be built. */
  async function daemonEntry(): Promise<string[]> {
    if ((options.daemonRuntime ?? 'bundle') === 'bundle') {
      try {
        return [await daemonBundle()]
      } catch (error) {
        options.onLog?.(`twin daemon bundle unavailable, running it through tsx: ${(error as Error).message}`)
      }
    }
    return ['--import', TSX_LOADER, DAEMON_MAIN]
  }

  function waitForReady(daemon: ChildProcess, signal?: AbortSignal): Promise<DaemonReady> {
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: daemon.stdout! })
      const abort = () => {
        daemon.stdin!.end()
        reject(new LabError('LAB_ABORTED', 'lab start aborted'))
      }
      const timer = setTimeout(() => {
        daemon.kill('SIGKILL')
        reject(new LabError('TWIN_START_TIMEOUT', `the twin daemon was not ready after ${START_TIMEOUT_MS / 1000} s`))
      }, START_TIMEOUT_MS)
      signal?.addEventListener('abort', abort, { once: true })
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', abort)
        lines.close()
      }
      lines.on('line', (line) => {
        let message: { ready?: DaemonReady; error?: { code: string; message: string } }
        try {
          message = JSON.parse(line)
        } catch {
          return
        }
        done()
        if (message.ready) resolve(message.ready)
        else reject(new LabError(message.error?.code ?? 'TWIN_START_FAILED', message.error?.message ?? line))
      })
      daemon.once('exit', (code) => {
        done()
        reject(new LabError('TWIN_START_FAILED', `the twin daemon exited during start (code ${code})`))
      })
    })
  }

  return {
    kind: 'twin',
    async up(upOptions = {}) {
      if (running) return
      starting ??= start(upOptions.signal)
        .catch((error: Error & { code?: string }) => {
          if (status.state !== 'failed') setStatus({ state: 'failed', reason: error.message })
          throw error
        })
        .finally(() => {
          starting = undefined
        })
      return starting
    },
    async down() {
      const current = running
      if (!current) {
        if (status.state !== 'not-started') setStatus({ state: 'stopped' })
        return
      }
      setStatus({ state: 'stopping' })
      progress('teardown', `tearing down lab ${current.ready.id}`)
      const exited = new Promise<void>((resolve) => current.daemon.once('exit', () => resolve()))
      current.daemon.stdin!.end()
      const timer = setTimeout(() => current.daemon.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(timer)
      running = undefined
      // A daemon killed before it finished tearing down leaves its lab behind: clean it now, not at the next up.
      // (A rootless lab's namespaces die with its daemon; a sandbox's cgroup goes once its last process has.)
      if (!current.enter.length) await cleanLeftovers()
      await current.sandbox?.dispose()
      setStatus({ state: 'stopped' })
    },
    status: () => status,
    async exec(command: string, execOptions: ExecOptions = {}) {
      if (!running) throw new LabError('LAB_NOT_READY', `the twin lab is ${status.state}: call up() first`)
      const cwd = execOptions.cwd ?? running.ready.workspace
      const host = onLabHost(running, [], cwd)
      return runBash(command, {
        ...execOptions,
        cwd: host.cwd,
        prefix: [host.file, ...host.args],
        env: labHostEnv(running.paths, cwd, envBase(running.sandbox)),
      })
    },
    shell(): ShellSpec {
      if (!running) throw new LabError('LAB_NOT_READY', `the twin lab is ${status.state}: call up() first`)
      const { paths, ready } = running
      const host = onLabHost(running, ['bash', '--rcfile', paths.rcfile, '-i'], ready.workspace)
      return {
        ...host,
        env: { ...labHostEnv(paths, ready.workspace, envBase(running.sandbox)), TERM: 'xterm-256color' },
      }
    },
    on<E extends keyof LabEvents>(event: E, listener: LabEvents[E]) {
      events.on(event, listener)
      return () => events.off(event, listener)
    },
  }
}
