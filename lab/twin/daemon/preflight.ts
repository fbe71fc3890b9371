import { accessSync, constants } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { execa } from 'execa'
import requiredPackages from '../required-packages.json'

/**
 * What the twin needs on the machine (lab/twin/required-packages.json, also read by the setup that installs them):
 * the routing daemons, nftables for the emulated kube-proxy, iproute2 and bridge-utils for the learner's `brctl
 * addbr`, busybox for the pods' HTTP servers, and the tools the course has learners type (tcpdump, curl, ping). Each
 * binary is mapped to the Debian package that provides it.
 */
const REQUIRED: Array<{ pkg: string; binaries: string[] }> = requiredPackages

/** sbin dirs too: a non-root PATH often lacks them, and where a package puts a binary differs across releases. */
const SEARCH = [
  ...(process.env.PATH ?? '').split(':'),
  '/usr/local/sbin',
  '/usr/sbin',
  '/sbin',
  '/usr/bin',
  '/bin',
].filter(Boolean)

export interface TwinPreflight {
  /** Package -> installed version, or null when missing. */
  tools: Record<string, string | null>
  missing: string[]
  /** The command that installs what is missing (empty when nothing is). */
  installCommand: string
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function present(binary: string): boolean {
  return isAbsolute(binary) ? executable(binary) : SEARCH.some((dir) => executable(join(dir, binary)))
}

export async function twinPreflight(): Promise<TwinPreflight> {
  // One dpkg-query for every version: the binaries' own --version flags differ and some start slowly.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format string, not a template literal
  const query = await execa('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', ...REQUIRED.map((r) => r.pkg)], {
    reject: false,
  })
  const versions = new Map(
    String(query.stdout)
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  )
  const tools: Record<string, string | null> = {}
  const missing: string[] = []
  for (const { pkg, binaries } of REQUIRED) {
    const installed = binaries.every(present)
    tools[pkg] = installed ? (versions.get(pkg) ?? 'installed') : null
    if (!installed) missing.push(pkg)
  }
  const installCommand = missing.length ? `apt-get install -y --no-install-recommends ${missing.join(' ')}` : ''
  return { tools, missing, installCommand }
}
