import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabError } from '../../lab-error.ts'
import { containerFiles, enterContainer } from '../container/container-root.ts'
import { dockerContainer, ROUTER_FRR_DIR } from '../container/container-specs.ts'
import type { TwinContext } from '../context.ts'
import { labHostPaths } from '../daemon/lab-host.ts'
import { inUserNamespace } from '../net/userns.ts'
import type { RouterConfig } from './frr-config.ts'
import { writeRouterShell } from './router-shell.ts'

/**
 * One router = zebra + bgpd of FRR 8.4 inside the router's namespace, with every path per instance (config, pid
 * files, zserv socket, vty sockets) so several routers share the machine's FRR install without colliding. They run as
 * the packaged `frr` user (running as root would need root in the `frrvty` group), so the instance dir belongs to it;
 * in a rootless lab, where the `frr` uid is not mapped, they run as the namespace's root (see rootless-mounts.ts).
 */
export interface FrrInstance {
  dir: string
  stop(): Promise<void>
}

const FRR = '/usr/lib/frr'
/** FRR keeps per-process crash-log dirs here (`zebra.<pid>`); a killed daemon leaves its dir behind. */
const FRR_TMP = '/var/tmp/frr'
const READY_TIMEOUT_MS = 10_000
/** Far above what a lab router opens (at most 4 peers, zebra's netlink sockets, a few vtysh), far below the host's. */
const FD_LIMIT = 256

/** Per-router dir: configs, sockets and the shell's functions (the router's container shows it at /etc/frr). */
export function routerDir(lab: TwinContext, container: string): string {
  return join(lab.runDir, 'routers', container)
}

function frrUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('frr:'))
  if (!line)
    throw new LabError('TWIN_FRR_USER', 'the frr user does not exist: reinstall FRR (apt-get install --reinstall frr)')
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

/** Waits for a daemon's vty socket; on timeout the error carries the end of its log (the log goes with the lab). */
async function waitForSocket(path: string, what: string, log: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!existsSync(path)) {
    if (Date.now() > deadline) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n  ') : '(no log)'
      throw new LabError('TWIN_FRR_START', `${what} did not start within ${READY_TIMEOUT_MS / 1000} s:\n  ${tail}`)
    }
    await sleep(10)
  }
}

export async function startFrr(lab: TwinContext, container: string, config: RouterConfig): Promise<FrrInstance> {
  const dir = routerDir(lab, container)
  mkdirSync(dir, { recursive: true })
  // Emptied, not replaced: the router's container shows this very directory at /etc/frr (a restart keeps it).
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true })
  writeFileSync(join(dir, 'zebra.conf'), config.zebraConf)
  writeFileSync(join(dir, 'bgpd.conf'), config.bgpdConf)
  writeFileSync(join(dir, 'vtysh.conf'), '')
  // The running config starts as the boot config; config.boot is the saved one when the topology binds none.
  writeFileSync(join(dir, 'running.boot'), config.source ?? '')
  writeFileSync(join(dir, 'config.boot'), config.source ?? '')
  writeRouterShell(dir, ROUTER_FRR_DIR, containerFiles(lab, container).bin, container, labHostPaths(lab.runDir).socket)
  const rootless = inUserNamespace()
  if (!rootless) {
    const frr = frrUser()
    chownSync(dir, frr.uid, frr.gid)
  }
  // --limit-fds: FRR sizes each event loop's fd tables by the fd limit (thousands here), which cost each router
  // about 4 MiB of touched memory; a lab router has a handful of peers, its zserv clients and vty sessions.
  // In the router's container, where the instance dir shows at /etc/frr: `ps` there names no path of the lab.
  const enter = await enterContainer(lab, dockerContainer(lab, lab.containers.get(container)!))
  const inside = (file: string) => join(ROUTER_FRR_DIR, file)
  const common = [
    '-z',
    inside('zserv.api'),
    '--vty_socket',
    ROUTER_FRR_DIR,
    '--limit-fds',
    String(FD_LIMIT),
    ...(rootless ? ['-u', 'root', '-g', 'root'] : []),
  ]
  const daemons: Array<{ pid: number; name: string; stop(): Promise<void> }> = []
  const stop = async () => {
    for (const daemon of daemons.reverse()) {
      await daemon.stop()
      rmSync(join(FRR_TMP, `${daemon.name}.${daemon.pid}`), { recursive: true, force: true })
    }
  }
  try {
    for (const name of ['zebra', 'bgpd'] as const) {
      const argv = [...enter, join(FRR, name), '-f', inside(`${name}.conf`), '-i', inside(`${name}.pid`), ...common]
      // No vty TCP port (-P 0): nothing listens outside the vty socket; bgpd still listens on 179 in its namespace.
      daemons.push({ name, ...(await lab.startDaemon(`${container}-${name}`, [...argv, '-P', '0'])) })
      await waitForSocket(
        join(dir, `${name}.vty`),
        `${name} of ${container}`,
        join(lab.runDir, 'logs', `${container}-${name}.log`),
      )
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { dir, stop }
}
