import { accessSync, constants } from 'node:fs'
import { execa } from 'execa'

/**
 * What the twin needs on the machine: the routing daemons, nftables for the emulated kube-proxy, iproute2 and
 * bridge-utils for the learner's `brctl addbr`. Each binary is mapped to the Debian package that provides it.
 */
const REQUIRED: Array<{ pkg: string; binaries: string[] }> = [
  { pkg: 'frr', binaries: ['/usr/lib/frr/zebra', '/usr/lib/frr/bgpd', '/usr/bin/vtysh'] },
  { pkg: 'gobgpd', binaries: ['/usr/sbin/gobgpd', '/usr/bin/gobgp'] },
  { pkg: 'nftables', binaries: ['/usr/sbin/nft'] },
  { pkg: 'iproute2', binaries: ['/usr/bin/ip', '/sbin/ip'] },
  { pkg: 'bridge-utils', binaries: ['/usr/sbin/brctl', '/sbin/brctl'] },
]

export interface TwinPreflight {
  /** Package -> installed version, or null when missing. */
  tools: Record<string, string | null>
  missing: string[]
  /** The command that installs what is missing (empty when nothing is). */
  installCommand: string
}

function present(binary: string): boolean {
  try {
    accessSync(binary, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export async function twinPreflight(): Promise<TwinPreflight> {
  // One dpkg-query for every version: the binaries' own --version flags differ and some start slowly.
  const query = await execa('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', ...REQUIRED.map((r) => r.pkg)], { reject: false })
  const versions = new Map(String(query.stdout).split('\n').map((line) => line.split(' ') as [string, string]))
  const tools: Record<string, string | null> = {}
  const missing: string[] = []
  for (const { pkg, binaries } of REQUIRED) {
    // Either path satisfies packages whose binary moved between /sbin and /usr/sbin across releases.
    const installed = pkg === 'frr' || pkg === 'gobgpd' ? binaries.every(present) : binaries.some(present)
    tools[pkg] = installed ? (versions.get(pkg) ?? 'installed') : null
    if (!installed) missing.push(pkg)
  }
  const installCommand = missing.length ? `apt-get install -y --no-install-recommends ${missing.join(' ')}` : ''
  return { tools, missing, installCommand }
}
