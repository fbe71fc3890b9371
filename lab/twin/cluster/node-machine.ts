import { createHash } from 'node:crypto'
import { readFileSync, statfsSync } from 'node:fs'
import { availableParallelism, hostname, totalmem } from 'node:os'

/** A file's first line, or undefined where the host has none (containers, other kernels). */
function firstLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[0].trim() || undefined
  } catch {
    return undefined
  }
}

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex')

/**
 * A kind node's capacity: kind runs its nodes as containers without resource limits, so each kubelet reports the
 * host's CPUs, memory (MemTotal in Ki), root filesystem and huge pages; kind's kubelet reserves nothing and evicts at
 * 0%, so allocatable equals capacity.
 */
export function machineCapacity(): Record<string, string> {
  const meminfo = (() => {
    try {
      return readFileSync('/proc/meminfo', 'utf8')
    } catch {
      return ''
    }
  })()
  const memKi = /^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? String(Math.floor(totalmem() / 1024))
  const hugepages = Number(/^HugePages_Total:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0)
  const hugeSize = /^Hugepagesize:\s+(\d+) kB/m.exec(meminfo)?.[1]
  const disk = statfsSync('/')
  return {
    cpu: String(availableParallelism()),
    'ephemeral-storage': `${Math.floor((disk.blocks * disk.bsize) / 1024)}Ki`,
    'hugepages-1Gi': hugeSize === '1048576' && hugepages ? `${hugepages}Gi` : '0',
    'hugepages-2Mi': hugeSize === '2048' && hugepages ? `${hugepages * 2}Mi` : '0',
    memory: `${memKi}Ki`,
    pods: '110',
  }
}

/**
 * The nodeInfo identifiers a kind node's kubelet reports: its own /etc/machine-id (kind writes one per node container,
 * here derived from the cluster and node names so it is stable), the host's DMI product UUID (shared by all nodes;
 * derived from the host name where the host does not expose it) and the host kernel's boot id (shared too).
 */
export function machineIds(cluster: string, node: string): { machineID: string; systemUUID: string; bootID: string } {
  const uuid = (h: string) =>
    `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
  return {
    machineID: hex(`machine-id/${cluster}/${node}`).slice(0, 32),
    systemUUID: firstLine('/sys/class/dmi/id/product_uuid')?.toLowerCase() ?? uuid(hex(`system-uuid/${hostname()}`)),
    bootID: firstLine('/proc/sys/kernel/random/boot_id') ?? uuid(hex(`boot-id/${hostname()}`)),
  }
}
