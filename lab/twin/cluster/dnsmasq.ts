import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabError } from '../../lab-error.ts'
import type { TwinContext } from '../context.ts'
import { isAlive, type ProcessRef } from '../net/processes.ts'
import type { KObject } from './store.ts'

/** dnsmasq reads a hosts file in well under a millisecond; this bounds a stuck or dead server. */
const LOAD_TIMEOUT_MS = 5000

/** A pod of kind's CoreDNS Deployment: its container runs the cluster's DNS server. */
export const isDnsPod = (pod: KObject) =>
  pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.['k8s-app'] === 'kube-dns'

/** Where the lab keeps the cluster's records (`hosts`), one file every server reads. */
export const clusterDnsDir = (lab: TwinContext) => join(lab.runDir, 'cluster-dns')

/** Where a CoreDNS pod's container shows clusterDnsDir, in its own /run: its server's command line names no lab path. */
export const COREDNS_DIR = '/run/coredns'

/**
 * dnsmasq as the cluster's DNS server inside a CoreDNS pod: it answers from `hosts` alone, reads no host
 * configuration (/etc/dnsmasq.conf, /etc/hosts, /etc/resolv.conf) and has no upstream: every name it does not hold,
 * in the cluster domain or outside it, is NXDOMAIN at once (as CoreDNS's upstream says of `web.` once the service is
 * gone), and no query leaves the lab. Answers carry CoreDNS's TTL (kind's Corefile: `ttl 30`). It logs to stderr
 * (its daemon's log), where each load of the hosts file (at start, then on SIGHUP) writes `read <hosts> - N names`.
 * It stays root, as the lab's other daemons run: as `nobody` it could not reread a hosts file under a private run dir
 * (a 0700 state root), and in a rootless lab that uid is not mapped and setgroups is refused (an empty --group skips it).
 */
export function dnsmasqArgv(hosts: string): string[] {
  return [
    '/usr/sbin/dnsmasq',
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--pid-file=',
    '--log-facility=-',
    '--no-resolv',
    '--no-poll',
    '--no-hosts',
    `--addn-hosts=${hosts}`,
    '--local=/#/',
    '--local-ttl=30',
    '--user=root',
    '--group=',
  ]
}

/** The log's size now: where to look for the next load of the hosts file. */
export async function logOffset(log: string): Promise<number> {
  return (await stat(log).catch(() => ({ size: 0 }))).size
}

/**
 * Resolves once the server logged a load of `hosts` after `offset` (so a name added before the call now resolves);
 * throws TWIN_DNS_FAILED when it could not read the file, exited, or stayed silent.
 */
export async function waitForLoad(server: ProcessRef, log: string, hosts: string, offset: number): Promise<void> {
  const deadline = Date.now() + LOAD_TIMEOUT_MS
  for (;;) {
    const text = (await readFile(log, 'utf8').catch(() => '')).slice(offset)
    if (text.includes(`read ${hosts} - `)) return
    const failed = /failed to load names from .*/.exec(text)
    const reason =
      failed?.[0] ??
      (!isAlive(server)
        ? 'dnsmasq exited'
        : Date.now() > deadline
          ? `no load of ${hosts} logged in ${LOAD_TIMEOUT_MS} ms`
          : null)
    if (reason)
      throw new LabError(
        'TWIN_DNS_FAILED',
        `the cluster DNS server (pid ${server.pid}) did not load its records: ${reason}\n  log: ${log}`,
      )
    await sleep(10)
  }
}
