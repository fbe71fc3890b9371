import type { Cluster, Controller } from '../cluster.ts'
import { atLeast } from '../crds.ts'
import { cidrText, isIp, parseCidr, randomFree, toInt, toIp, usableRange } from '../ipv4.ts'
import { matches } from '../selector.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { ciliumConfig } from './cilium-config.ts'
import { type LbIpamNames, lbIpamNames, SATISFIED_TYPES } from './lb-ipam-names.ts'

/**
 * One block of a pool: the addresses it hands out (`first`, `count`), and those it holds back but counts as used
 * (`reserved`: the first and last of a cidr block under allowFirstLastIPs "No", as 1.16+ pre-allocates them).
 */
interface Block {
  text: string
  /** The whole block, for overlaps. */
  start: number
  end: number
  first: number
  count: number
  reserved: number[]
}

interface Pool {
  object: KObject
  blocks: Block[]
  conflict?: string
  enabled: boolean
}

/**
 * A pool's blocks as the running operator reads them. Cilium 1.13 (`cidrs`) hands out a cidr without its network
 * and broadcast addresses. Since 1.16 (`blocks`, operator/pkg/lbipam handlePoolAdded) a cidr is allocatable whole
 * unless allowFirstLastIPs is "No", which pre-allocates its first and last address (not for a /31 or /32, where that
 * would take the whole block); a `start`/`stop` block is allocatable whole, both ends included. 1.16 also removed
 * `cidrs` from the CRD: the API server prunes it, so a pool written for 1.13 is empty until it lists `blocks`.
 */
function blocksOf(pool: KObject, since116: boolean): Block[] {
  const noFirstLast = pool.spec.allowFirstLastIPs === 'No'
  const firstLastByDefault = since116
  return ((since116 ? pool.spec.blocks : (pool.spec.blocks ?? pool.spec.cidrs)) ?? []).flatMap(
    (block: { cidr?: string; start?: string; stop?: string }): Block[] => {
      if (block.cidr) {
        const c = parseCidr(block.cidr)
        const whole = { text: cidrText(c), start: c.base, end: c.base + c.size - 1 }
        if (!firstLastByDefault) return [{ ...whole, ...usableRange(c), reserved: [] }]
        if (!noFirstLast || c.size <= 2) return [{ ...whole, first: c.base, count: c.size, reserved: [] }]
        return [{ ...whole, first: c.base + 1, count: c.size - 2, reserved: [c.base, whole.end] }]
      }
      if (block.start && isIp(block.start)) {
        const start = toInt(block.start)
        const end = block.stop && isIp(block.stop) ? toInt(block.stop) : start
        if (end < start) return []
        return [{ text: `${block.start}-${toIp(end)}`, start, end, first: start, count: end - start + 1, reserved: [] }]
      }
      return []
    },
  )
}

const overlaps = (a: Block, b: Block) => a.start <= b.end && b.start <= a.end
const contains = (b: Block, ip: number) => ip >= b.first && ip < b.first + b.count

const byAge = (a: KObject, b: KObject) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  a.metadata.name.localeCompare(b.metadata.name)

/** Pools in creation order; a pool whose CIDR overlaps an older pool's is conflicting and disabled. */
export function pools(store: ObjectStore): Pool[] {
  const version = ciliumConfig(store)?.version
  const since116 = version !== undefined && atLeast(version, 1, 16)
  const result: Pool[] = []
  for (const object of store.list('CiliumLoadBalancerIPPool').sort(byAge)) {
    const blocks = blocksOf(object, since116)
    let conflict: string | undefined
    for (const older of result.filter((p) => !p.conflict)) {
      for (const mine of blocks) {
        const theirs = older.blocks.find((c) => overlaps(c, mine))
        if (theirs && !conflict)
          conflict = `Pool conflicts since CIDR '${mine.text}' overlaps CIDR '${theirs.text}' from IP Pool '${older.object.metadata.name}'`
      }
    }
    result.push({ object, blocks, conflict, enabled: !conflict && !object.spec.disabled })
  }
  return result
}

/** LB-IPAM handles LoadBalancer services without a class or with Cilium's. */
const handles = (svc: KObject) =>
  svc.spec?.type === 'LoadBalancer' &&
  (!svc.spec.loadBalancerClass || svc.spec.loadBalancerClass === 'io.cilium/bgp-control-plane')

/** nil serviceSelector matches every service. */
const poolMatches = (pool: Pool, svc: KObject) =>
  !pool.object.spec.serviceSelector || matches(pool.object.spec.serviceSelector, svc.metadata.labels ?? {})

/**
 * The IPs a service asks for by name: spec.loadBalancerIP and the release's annotation (comma-separated), both read
 * (getSVCRequestedIPs), duplicates once.
 */
function requestedIps(svc: KObject, names: LbIpamNames): string[] {
  const annotations = svc.metadata.annotations ?? {}
  const listed = names.ipsAnnotations.map((key) => annotations[key]).find((value) => value) ?? ''
  return [...new Set([svc.spec.loadBalancerIP ?? '', ...listed.split(',')].map((s: string) => s.trim()).filter(isIp))]
}

/**
 * An object's conditions with `set` in place of those of the same types: the others stay, as SetStatusCondition leaves
 * them (another controller's, or those an older Cilium wrote under its own names).
 */
const withConditions = <C extends { type: string }>(conditions: C[] | undefined, set: C[]): C[] => [
  ...(conditions ?? []).filter((c) => !set.some((s) => s.type === c.type)),
  ...set,
]

/**
 * Cilium 1.13 LB-IPAM, dormant until a pool exists: keeps a service's ingress IPs that lie in an enabled matching
 * pool, strips the others (even another allocator's), and allocates a random free IP of the first enabled matching
 * pool; sets the service's request-satisfied condition and the pools' status.
 */
export function reconcileLbIpam(store: ObjectStore, random = Math.random): void {
  const all = pools(store)
  const names = lbIpamNames(ciliumConfig(store)?.version)
  const condition = (status: 'True' | 'False', reason: string, message: string) => ({
    type: names.satisfied,
    status,
    reason,
    message,
  })
  if (all.length === 0) {
    // Dormant again once the last pool is gone: what it had allocated (services carrying its condition) is released.
    for (const svc of store
      .list('Service')
      .filter((s) => s.status?.conditions?.some((c: { type: string }) => SATISFIED_TYPES.includes(c.type)))) {
      store.patch('Service', svc.metadata.namespace, svc.metadata.name, (o) => void (o.status = { loadBalancer: {} }))
    }
    return
  }
  const used = new Map<Block, Set<number>>()
  const usedIn = (block: Block) => used.get(block) ?? used.set(block, new Set(block.reserved)).get(block)!
  const owner = (ip: number) =>
    all
      .filter((p) => p.enabled)
      .flatMap((p) => p.blocks.map((c) => ({ p, c })))
      .find(({ c }) => contains(c, ip) && !c.reserved.includes(ip))
  for (const svc of store.list('Service').filter(handles).sort(byAge)) {
    const candidates = all.filter((p) => p.enabled && poolMatches(p, svc))
    const kept: string[] = []
    for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
      const ip = ingress.ip ? toInt(ingress.ip) : NaN
      const home = owner(ip)
      if (home && candidates.includes(home.p) && !usedIn(home.c).has(ip)) {
        usedIn(home.c).add(ip)
        kept.push(ingress.ip)
      }
    }
    // The condition changes only with an allocation or a failure (satisfyService): a service whose addresses are
    // kept keeps its conditions, so after the upgrade to 1.18 it still shows 1.13's until it is allocated again.
    let cond: ReturnType<typeof condition> | undefined
    if (kept.length === 0) {
      if (candidates.length === 0)
        cond = condition('False', 'no_pool', 'There are no enabled CiliumLoadBalancerIPPools that match this service')
      else {
        const wanted = requestedIps(svc, names)
        let ip: number | undefined
        for (const pool of candidates) {
          for (const block of pool.blocks) {
            const set = usedIn(block)
            ip = wanted.length
              ? wanted.map(toInt).find((w) => contains(block, w) && !set.has(w))
              : randomFree(block, set, random)
            if (ip !== undefined) {
              set.add(ip)
              break
            }
          }
          if (ip !== undefined) break
        }
        if (ip === undefined)
          cond = condition(
            'False',
            'out_of_ips',
            'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs',
          )
        else {
          kept.push(toIp(ip))
          cond = condition('True', 'satisfied', '')
        }
      }
    }
    store.patch('Service', svc.metadata.namespace, svc.metadata.name, (o) => {
      const conditions = cond ? withConditions(o.status?.conditions, [cond]) : o.status?.conditions
      o.status = {
        ...(o.status ?? {}),
        loadBalancer: kept.length ? { ingress: kept.map((ip) => ({ ip })) } : {},
        ...(conditions ? { conditions } : {}),
      }
    })
  }
  for (const pool of all) {
    // The operator's counts (updatePoolCounts): reserved addresses are used ones, and part of the total.
    const total = pool.blocks.reduce((n, c) => n + c.count + c.reserved.length, 0)
    const usedCount = pool.blocks.reduce((n, c) => n + usedIn(c).size, 0)
    store.patch('CiliumLoadBalancerIPPool', undefined, pool.object.metadata.name, (o) => {
      o.status = {
        conditions: withConditions(o.status?.conditions, [
          { type: names.ipsTotal, status: 'Unknown', reason: 'noreason', message: String(total) },
          { type: names.ipsAvailable, status: 'Unknown', reason: 'noreason', message: String(total - usedCount) },
          { type: names.ipsUsed, status: 'Unknown', reason: 'noreason', message: String(usedCount) },
          pool.conflict
            ? { type: names.poolConflict, status: 'True', reason: 'cidr_overlap', message: pool.conflict }
            : { type: names.poolConflict, status: 'False', reason: 'resolved', message: '' },
        ]),
      }
    })
  }
}

/** LB-IPAM runs in the Cilium operator: only while Cilium is installed. */
export const lbIpamController: Controller = {
  name: 'lb-ipam',
  async reconcile(cluster: Cluster) {
    if (cluster.store.cluster && cluster.store.get('ConfigMap', 'kube-system', 'cilium-config'))
      reconcileLbIpam(cluster.store)
  },
}
