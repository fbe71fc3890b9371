import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LabError } from '../../../lab-error.ts'
import { enterContainer, firstChild } from '../../container/container-root.ts'
import { podContainer } from '../../container/container-specs.ts'
import { isAlive, type ProcessRef, processRef } from '../../net/processes.ts'
import type { Cluster, Controller } from '../cluster.ts'
import { clusterDnsHosts } from '../dns-records.ts'
import { COREDNS_DIR, clusterDnsDir, dnsmasqArgv, isDnsPod, logOffset, waitForLoad } from '../dnsmasq.ts'
import type { KObject } from '../store.ts'
import { podNetns } from './pod-network.ts'

/** The records as the CoreDNS pods' servers read them. */
const INSIDE_HOSTS = join(COREDNS_DIR, 'hosts')

interface Server {
  uid: string
  ref: ProcessRef
  log: string
  stop(): Promise<void>
}

/** The pods of kind's CoreDNS Deployment that have their network: each runs the cluster's DNS server. */
const dnsPods = (cluster: Cluster): KObject[] =>
  cluster.store
    .list('Pod', 'kube-system')
    .filter((p) => isDnsPod(p) && !p.spec.hostNetwork && p.status?.phase === 'Running' && p.status.podIP)

/**
 * CoreDNS: a real DNS server (dnsmasq) in each CoreDNS pod's container (its `ps` shows it, a node's does not), so `10.96.0.10` reaches it through the
 * kube-dns service like any other service (kube-proxy's DNAT to the pods' addresses). Its records come from the store
 * (dns-records.ts) as one hosts file every server reads; when a service or endpoint changes the file is replaced and
 * each server reloads it (SIGHUP), and the pass ends only once every server logged the new load, so a name asked
 * for right after `kubectl apply` returns resolves.
 */
export class ClusterDns implements Controller {
  readonly name = 'cluster-dns'
  private readonly servers = new Map<string, Server>()
  private written: string | null = null

  async reconcile(cluster: Cluster): Promise<void> {
    const { store, lab } = cluster
    if (!store.cluster) return this.stop()
    const dir = clusterDnsDir(lab)
    const hosts = join(dir, 'hosts')
    const records = clusterDnsHosts(store)
    const changed = records !== this.written
    if (changed) {
      await mkdir(dir, { recursive: true })
      // Renamed into place: a server reloading never reads half a file.
      await writeFile(`${hosts}.tmp`, records)
      await rename(`${hosts}.tmp`, hosts)
    }
    const pods = dnsPods(cluster)
    // A server whose pod went (or came back as a new pod), or that died, is replaced by a fresh one.
    for (const [name, server] of this.servers) {
      if (pods.find((p) => p.metadata.name === name)?.metadata.uid !== server.uid || !isAlive(server.ref))
        await this.remove(name, server)
    }
    await Promise.all([
      ...(changed ? [...this.servers.values()].map((server) => this.reload(server)) : []),
      ...pods.filter((p) => !this.servers.has(p.metadata.name)).map((pod) => this.start(cluster, pod)),
    ])
    // Only once every server has them: a failed reload is tried again at the next pass.
    this.written = records
  }

  async stop(): Promise<void> {
    for (const [name, server] of this.servers) await this.remove(name, server)
    this.written = null
  }

  private async start(cluster: Cluster, pod: KObject): Promise<void> {
    const { lab } = cluster
    const name = pod.metadata.name
    const daemon = `dnsmasq-${name}`
    // Its stderr, appended to by every server of that name: a load logged by an earlier one must not count.
    const log = join(lab.runDir, 'logs', `${daemon}.log`)
    await rm(log, { force: true })
    const enter = await enterContainer(lab, podContainer(lab, pod, podNetns(lab, pod)))
    const handle = await lab.startDaemon(daemon, [...enter, ...dnsmasqArgv(INSIDE_HOSTS)])
    const server: Server = { uid: pod.metadata.uid!, ref: processRef(handle.pid), log, stop: handle.stop }
    this.servers.set(name, server)
    try {
      await waitForLoad(server.ref, log, INSIDE_HOSTS, 0)
      // Past its first load dnsmasq runs, as nsenter's child: the reloads' SIGHUP goes to it (nsenter would die of it).
      const child = firstChild(handle.pid)
      if (child === null)
        throw new LabError(
          'TWIN_DNS_FAILED',
          `the cluster DNS server of ${name} exited after its first load\n  log: ${log}`,
        )
      server.ref = processRef(child)
    } catch (error) {
      await this.remove(name, server)
      throw error
    }
  }

  private async reload(server: Server): Promise<void> {
    const offset = await logOffset(server.log)
    process.kill(server.ref.pid, 'SIGHUP')
    await waitForLoad(server.ref, server.log, INSIDE_HOSTS, offset)
  }

  private async remove(name: string, server: Server): Promise<void> {
    this.servers.delete(name)
    await server.stop()
  }
}
