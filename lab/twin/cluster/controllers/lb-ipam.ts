import type { Cluster, Controller } from '../cluster.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { cidrText, contains, isIp, overlaps, parseCidr, randomFree, toInt, toIp, usableRange, type Cidr } from '../ipv4.ts'
import { matches } from '../selector.ts'

const SATISFIED = 'io.cilium/lb-ipam-request-satisfied'

interface Pool {
  object: KObject
  cidrs: Cidr[]
  conflict?: string
  enabled: boolean
}

const byAge = (a: KObject, b: KObject) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name)

/** Pools in creation order; a pool whose CIDR overlaps an older pool's is conflicting and disabled. */
export function pools(store: ObjectStore): Pool[] {
  const result: Pool[] = []
  for (const object of store.list('CiliumLoadBalancerIPPool').sort(byAge)) {
    // `blocks` (1.15+) replaced `cidrs`; the twin takes a block's cidr (start/stop ranges are not emulated).
    const cidrs = (object.spec.blocks ?? object.spec.cidrs ?? []).filter((c: { cidr?: string }) => c.cidr).map((c: { cidr: string }) => parseCidr(c.cidr))
    let conflict: string | undefined
    for (const older of result.filter(p => !p.conflict)) {
      for (const mine of cidrs) {
        const theirs = older.cidrs.find(c => overlaps(c, mine))
        if (theirs && !conflict) conflict = `Pool conflicts since CIDR '${cidrText(mine)}' overlaps CIDR '${cidrText(theirs)}' from IP Pool '${older.object.metadata.name}'`
      }
    }
    result.push({ object, cidrs, conflict, enabled: !conflict && !object.spec.disabled })
  }
  return result
}

/** LB-IPAM handles LoadBalancer services without a class or with Cilium's. */
const handles = (svc: KObject) => svc.spec?.type === 'LoadBalancer' && (!svc.spec.loadBalancerClass || svc.spec.loadBalancerClass === 'io.cilium/bgp-control-plane')

/** nil serviceSelector matches every service. */
const poolMatches = (pool: Pool, svc: KObject) => !pool.object.spec.serviceSelector || matches(pool.object.spec.serviceSelector, svc.metadata.labels ?? {})

const condition = (status: 'True' | 'False', reason: string, message: string) => ({ type: SATISFIED, status, reason, message })

/** The IPs a service asks for by name: `io.cilium/lb-ipam-ips` (comma-separated) or spec.loadBalancerIP. */
const requestedIps = (svc: KObject): string[] =>
  (svc.metadata.annotations?.['io.cilium/lb-ipam-ips'] ?? svc.spec.loadBalancerIP ?? '').split(',').map((s: string) => s.trim()).filter(isIp)

/**
 * Cilium 1.13 LB-IPAM, dormant until a pool exists: keeps a service's ingress IPs that lie in an enabled matching
 * pool, strips the others (even another allocator's), and allocates a random free IP of the first enabled matching
 * pool; sets the service's request-satisfied condition and the pools' status.
 */
export function reconcileLbIpam(store: ObjectStore, random = Math.random): void {
  const all = pools(store)
  if (all.length === 0) {
    // Dormant again once the last pool is gone: what it had allocated (services carrying its condition) is released.
    for (const svc of store.list('Service').filter(s => s.status?.conditions?.some((c: { type: string }) => c.type === SATISFIED))) {
      store.patch('Service', svc.metadata.namespace, svc.metadata.name, o => void (o.status = { loadBalancer: {} }))
    }
    return
  }
  const used = new Map<Cidr, Set<number>>()
  const usedIn = (cidr: Cidr) => used.get(cidr) ?? used.set(cidr, new Set()).get(cidr)!
  const owner = (ip: number) => all.filter(p => p.enabled).flatMap(p => p.cidrs.map(c => ({ p, c }))).find(({ c }) => contains(c, ip))
  for (const svc of store.list('Service').filter(handles).sort(byAge)) {
    const candidates = all.filter(p => p.enabled && poolMatches(p, svc))
    const kept: string[] = []
    for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
      const ip = ingress.ip ? toInt(ingress.ip) : NaN
      const home = owner(ip)
      if (home && candidates.includes(home.p) && !usedIn(home.c).has(ip)) {
        usedIn(home.c).add(ip)
        kept.push(ingress.ip)
      }
    }
    let cond = condition('True', 'satisfied', '')
    if (kept.length === 0) {
      if (candidates.length === 0) cond = condition('False', 'no_pool', 'There are no enabled CiliumLoadBalancerIPPools that match this service')
      else {
        const wanted = requestedIps(svc)
        let ip: number | undefined
        for (const pool of candidates) {
          for (const cidr of pool.cidrs) {
            const set = usedIn(cidr)
            ip = wanted.length
              ? wanted.map(toInt).find(w => contains(cidr, w) && !set.has(w))
              : randomFree(usableRange(cidr), set, random)
            if (ip !== undefined) {
              set.add(ip)
              break
            }
          }
          if (ip !== undefined) break
        }
        if (ip === undefined) cond = condition('False', 'out_of_ips', 'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs')
        else kept.push(toIp(ip))
      }
    }
    store.patch('Service', svc.metadata.namespace, svc.metadata.name, o => {
      o.status = { ...(o.status ?? {}), loadBalancer: kept.length ? { ingress: kept.map(ip => ({ ip })) } : {}, conditions: [cond] }
    })
  }
  for (const pool of all) {
    const total = pool.cidrs.reduce((n, c) => n + usableRange(c).count, 0)
    const usedCount = pool.cidrs.reduce((n, c) => n + usedIn(c).size, 0)
    store.patch('CiliumLoadBalancerIPPool', undefined, pool.object.metadata.name, o => {
      o.status = {
        conditions: [
          { type: 'cilium.io/IPsTotal', status: 'Unknown', reason: 'noreason', message: String(total) },
          { type: 'cilium.io/IPsAvailable', status: 'Unknown', reason: 'noreason', message: String(total - usedCount) },
          { type: 'cilium.io/IPsUsed', status: 'Unknown', reason: 'noreason', message: String(usedCount) },
          pool.conflict
            ? { type: 'cilium.io/PoolConflict', status: 'True', reason: 'cidr_overlap', message: pool.conflict }
            : { type: 'cilium.io/PoolConflict', status: 'False', reason: 'resolved', message: '' },
        ],
      }
    })
  }
}

/** LB-IPAM runs in the Cilium operator: only while Cilium is installed. */
export const lbIpamController: Controller = {
  name: 'lb-ipam',
  async reconcile(cluster: Cluster) {
    if (cluster.store.cluster && cluster.store.get('ConfigMap', 'kube-system', 'cilium-config')) reconcileLbIpam(cluster.store)
  },
}
