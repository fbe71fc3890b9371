import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { LabError } from '../../lab-error.ts'
import { processRef, terminate } from './processes.ts'

/** Thin wrappers over `ip netns`; every lab namespace goes through them so teardown finds them all. */

/** Files `ip netns exec <name>` binds over /etc for the command it runs (a pod's resolv.conf). */
export const netnsEtcDir = (name: string) => join('/etc/netns', name)

async function ip(args: string[]): Promise<{ exitCode: number; stderr: string; stdout: string }> {
  const result = await execa('ip', args, { reject: false, timeout: 10_000 })
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr }
}

function netnsError(message: string, detail: string): LabError {
  return new LabError('TWIN_NETNS_FAILED', `${message}\n  ${detail.trim()}`)
}

export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await ip(['netns', 'list'])
  // Lines look like "name (id: 3)" or just "name".
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter(Boolean)
}

/**
 * Creates a namespace with lo up. Routers and nodes want forwarding on, and rp_filter off since ECMP paths are
 * asymmetric (a reply may come back on the other uplink). arp_ignore is Linux's default 0 whatever the machine's own
 * namespace has (a new namespace inherits it): a node answers ARP for a MetalLB address it holds as a local route.
 */
export async function createNamespace(name: string, options: { forwarding?: boolean } = {}): Promise<void> {
  const added = await ip(['netns', 'add', name])
  if (added.exitCode !== 0) throw netnsError(`cannot create network namespace ${name}`, added.stderr)
  await ip(['-n', name, 'link', 'set', 'lo', 'up'])
  const forwarding = options.forwarding ? '1' : '0'
  const sysctl = await execa(
    'ip',
    [
      'netns',
      'exec',
      name,
      'sysctl',
      '-q',
      '-w',
      `net.ipv4.ip_forward=${forwarding}`,
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      'net.ipv4.conf.all.arp_ignore=0',
      'net.ipv4.conf.default.arp_ignore=0',
    ],
    { reject: false, timeout: 10_000 },
  )
  if (sysctl.exitCode !== 0) throw netnsError(`cannot set sysctls in ${name}`, sysctl.stderr)
}

/** Kills every process still inside the namespace (shells, helpers), then deletes it. Missing is not an error. */
export async function deleteNamespace(name: string): Promise<void> {
  const { stdout } = await ip(['netns', 'pids', name])
  const pids = stdout
    .split('\n')
    .map(Number)
    .filter((pid) => pid > 0 && pid !== process.pid)
  await Promise.all(pids.map((pid) => terminate(processRef(pid), { graceMs: 500 })))
  const deleted = await ip(['netns', 'del', name])
  if (deleted.exitCode !== 0 && !/No such file/.test(deleted.stderr)) {
    throw netnsError(`cannot delete network namespace ${name}`, deleted.stderr)
  }
  // Its /etc files go with it (`ip netns del` leaves them).
  await rm(netnsEtcDir(name), { recursive: true, force: true }).catch(() => undefined)
}
