import { readFileSync } from 'node:fs'
import { execa } from 'execa'

/**
 * Rootless labs run inside one user namespace (with its own mount, network and pid namespaces) where the learner's
 * uid is mapped to root. These helpers tell the two modes apart and check that the kernel allows it.
 */

/** True inside a user namespace that maps only part of the uid range (the initial namespace maps all 2^32). */
export function inUserNamespace(): boolean {
  try {
    const [inside, outside, count] = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).map(Number)
    return !(inside === 0 && outside === 0 && count === 4294967295)
  } catch {
    return false
  }
}

/** Whether this user may create a user namespace with root mapped (kernel and distribution policy allow it). */
export async function userNamespacesAllowed(): Promise<{ allowed: boolean; reason: string }> {
  const probe = await execa('unshare', ['--user', '--map-root-user', '--net', '--mount', 'true'], {
    reject: false,
    timeout: 5000,
  })
  return { allowed: probe.exitCode === 0, reason: String(probe.stderr).trim() }
}

/** The argv prefix that runs a command inside a rootless lab's user, mount and pid namespaces (those of its daemon). */
export function enterRootless(daemonPid: number): string[] {
  return ['nsenter', '-t', String(daemonPid), '-U', '-m', '-p', '--preserve-credentials']
}
