import { createHash } from 'node:crypto'
import { announceL2, withdrawL2 } from '../../kind/kind-network.ts'
import type { Cluster, Controller } from '../cluster.ts'
import { recordEvent, targetOf } from '../events.ts'
import { parseCidr, toInt, toIp } from '../ipv4.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { metallbLine } from './metallb-log.ts'

const NS = 'metallb-system'

/** `172.18.0.200-172.18.0.210` or `10.0.0.0/30` -> [first, last] of each range, in order. */
function ranges(pool: KObject): [number, number][] {
  return (pool.spec.addresses ?? []).map((range: string): [number, number] => {
    if (range.includes('/')) {
      const c = parseCidr(range)
      return [c.base, c.base + c.size - 1]
    }
    const [first, last] = range.split('-').map((s) => toInt(s.trim()))
    return [first, last ?? first]
  })
}

/** avoidBuggyIPs: skip .0 and .255, which some old clients mistake for network or broadcast addresses. */
const usable = (pool: KObject, ip: number) => !pool.spec.avoidBuggyIPs || ((ip & 255) !== 0 && (ip & 255) !== 255)

export const inPool = (pool: KObject, ip: number) =>
  usable(pool, ip) && ranges(pool).some(([first, last]) => ip >= first && ip <= last)

/** The pool's first address not in `used`, scanning its ranges in order (stops early: big pools cost nothing). */
export function firstFree(pool: KObject, used: Set<number>): number | undefined {
  for (const [first, last] of ranges(pool)) {
    for (let ip = first; ip <= last; ip++) if (usable(pool, ip) && !used.has(ip)) return ip
  }
  return undefined
}

const running = (store: ObjectStore, component: string) =>
  store.list('Pod', NS).filter((p) => p.metadata.labels?.component === component && p.status?.phase === 'Running')

/**
 * MetalLB 0.13's controller: gives each LoadBalancer service without a class the first free address of the
 * auto-assign pools (pools by name, ranges in order); keeps an address a pool still holds. Returns the services it
 * gave an address now.
 */
export function reconcileMetallb(store: ObjectStore): { svc: KObject; ip: string }[] {
  const allocated: { svc: KObject; ip: string }[] = []
  const pools = store.list('IPAddressPool', NS)
  if (pools.length === 0 || running(store, 'controller').length === 0) return allocated
  const used = new Set<number>()
  const services = store.list('Service').filter((s) => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass)
  const keep = new Map<KObject, number>()
  for (const svc of services) {
    const ip = svc.status?.loadBalancer?.ingress?.[0]?.ip
    if (ip && pools.some((p) => inPool(p, toInt(ip))) && !used.has(toInt(ip))) {
      used.add(toInt(ip))
      keep.set(svc, toInt(ip))
    }
  }
  for (const svc of services) {
    let ip = keep.get(svc)
    if (ip === undefined) {
      for (const pool of pools.filter((p) => p.spec.autoAssign !== false)) {
        ip = firstFree(pool, used)
        if (ip !== undefined) break
      }
      if (ip === undefined) continue
      used.add(ip)
      allocated.push({ svc, ip: toIp(ip) })
    }
    const chosen = toIp(ip)
    const changed = store.patch('Service', svc.metadata.namespace, svc.metadata.name, (o) => {
      o.status = { ...(o.status ?? {}), loadBalancer: { ingress: [{ ip: chosen }] } }
    })
    // controller/service.go: `Infof(svc, "IPAllocated", "Assigned IP %q", lbIPs)`, %q of a []net.IP.
    if (changed && !keep.has(svc))
      recordEvent(store, targetOf(svc), {
        type: 'Normal',
        reason: 'IPAllocated',
        message: `Assigned IP ["${chosen}"]`,
        source: { component: 'metallb-controller' },
      })
  }
  return allocated
}

const serviceName = (svc: KObject) => `${svc.metadata.namespace}/${svc.metadata.name}`

/** MetalLB's L2 leader for an address: the speaker node that sorts first by sha256(node + "#" + ip). */
export function l2Leader(nodes: string[], ip: string): string | undefined {
  const key = (node: string) => createHash('sha256').update(`${node}#${ip}`).digest('hex')
  return [...nodes].sort((a, b) => key(a).localeCompare(key(b)))[0]
}

/**
 * MetalLB's controller and L2 speakers. The elected node answers ARP for the service IP on the kind network (eth0),
 * so the lab host and the nodes reach it and the fabric does not until BGP announces it.
 */
export class Metallb implements Controller {
  readonly name = 'metallb'
  /** ip -> the node currently holding it, for the service (`namespace/name`). */
  private readonly announced = new Map<string, { node: string; service: string }>()

  async reconcile(cluster: Cluster): Promise<void> {
    const { store, lab } = cluster
    const allocated = store.cluster ? reconcileMetallb(store) : []
    const controller = running(store, 'controller')[0]?.metadata.name
    for (const { svc, ip } of allocated) {
      if (!controller) break
      // controller/service.go (0.13): the address, then the status written back (`serviceUpdated`).
      const now = Date.now()
      const service = serviceName(svc)
      const line = (fields: Record<string, unknown>) =>
        cluster.log(controller, metallbLine({ ...fields, service }, now), { logrus: false })
      line({ event: 'ipAllocated', ip: [ip], msg: 'IP address assigned by controller' })
      line({ event: 'serviceUpdated', msg: 'updated service object' })
    }
    const speakerOn = (node: string) => running(store, 'speaker').find((p) => p.spec.nodeName === node)?.metadata.name
    const wanted = new Map<string, { node: string; svc: KObject }>()
    const speakers = store.cluster ? running(store, 'speaker').map((p) => p.spec.nodeName as string) : []
    const advertisements = store.list('L2Advertisement', NS)
    const pools = store.list('IPAddressPool', NS)
    for (const svc of store.list('Service').filter((s) => s.spec?.type === 'LoadBalancer')) {
      for (const { ip } of svc.status?.loadBalancer?.ingress ?? []) {
        const pool = pools.find((p) => inPool(p, toInt(ip)))
        const advertised =
          pool &&
          advertisements.some(
            (a) => !a.spec?.ipAddressPools?.length || a.spec.ipAddressPools.includes(pool.metadata.name),
          )
        const leader = advertised ? l2Leader(speakers, ip) : undefined
        if (leader) wanted.set(ip, { node: leader, svc })
      }
    }
    for (const [ip, { node, service }] of this.announced) {
      if (wanted.get(ip)?.node === node) continue
      await withdrawL2(lab, lab.ns(node), ip)
      this.announced.delete(ip)
      // speaker/main.go (0.13) deleteBalancer logs after forgetting the address, so `ip` is null; a service still
      // there moved to another node's speaker (layer2: "notOwner").
      const [namespace, name] = service.split('/')
      const reason = store.get('Service', namespace, name) ? 'notOwner' : 'serviceDeleted'
      const speaker = speakerOn(node)
      if (speaker)
        cluster.log(
          speaker,
          metallbLine(
            { event: 'serviceWithdrawn', ip: null, msg: 'withdrawing service announcement', reason, service },
            Date.now(),
          ),
          { logrus: false },
        )
    }
    for (const [ip, { node, svc }] of wanted) {
      if (this.announced.get(ip)?.node === node) continue
      await announceL2(lab, lab.ns(node), ip)
      const service = serviceName(svc)
      this.announced.set(ip, { node, service })
      const speaker = speakerOn(node)
      const pool = pools.find((p) => inPool(p, toInt(ip)))?.metadata.name
      // speaker/main.go (0.13): `l.Log("event", "serviceAnnounced", "msg", "service has IP, announcing")` with the
      // service, its addresses, pool and protocol on the logger.
      if (speaker)
        cluster.log(
          speaker,
          metallbLine(
            {
              event: 'serviceAnnounced',
              ips: [ip],
              msg: 'service has IP, announcing',
              pool,
              protocol: 'layer2',
              service,
            },
            Date.now(),
          ),
          { logrus: false },
        )
      // speaker/main.go (0.13): `Infof(svc, "nodeAssigned", "announcing from node %q with protocol %q", c.myNode, protocol)`.
      recordEvent(store, targetOf(svc), {
        type: 'Normal',
        reason: 'nodeAssigned',
        message: `announcing from node "${node}" with protocol "layer2"`,
        source: { component: 'metallb-speaker' },
      })
    }
  }
}
