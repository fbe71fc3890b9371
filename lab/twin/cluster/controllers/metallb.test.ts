import { describe, expect, it } from 'vitest'
import { toInt, toIp } from '../ipv4.ts'
import { type KObject, ObjectStore } from '../store.ts'
import { firstFree, inPool, l2Leader, reconcileMetallb } from './metallb.ts'
import { metallbLine } from './metallb-log.ts'

const svc = (name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'LoadBalancer' },
})
const controllerPod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'controller-x', namespace: 'metallb-system', labels: { component: 'controller' } },
  spec: {},
  status: { phase: 'Running' },
}

describe('MetalLB', () => {
  it('hands out the first free address of the pool in order, keeping what is assigned', () => {
    const s = new ObjectStore(null)
    s.create({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'ippool', namespace: 'metallb-system' },
      spec: { addresses: ['172.18.0.200-172.18.0.210'], autoAssign: true },
    })
    s.create(svc('a'))
    reconcileMetallb(s)
    // No controller pod running yet: nothing is assigned.
    expect(s.get('Service', 'default', 'a')!.status).toBeUndefined()
    s.create(controllerPod)
    reconcileMetallb(s)
    expect(s.get('Service', 'default', 'a')!.status.loadBalancer.ingress).toEqual([{ ip: '172.18.0.200' }])
    s.create(svc('b'))
    reconcileMetallb(s)
    expect(s.get('Service', 'default', 'a')!.status.loadBalancer.ingress).toEqual([{ ip: '172.18.0.200' }])
    expect(s.get('Service', 'default', 'b')!.status.loadBalancer.ingress).toEqual([{ ip: '172.18.0.201' }])
  })

  it('reads ranges and CIDRs in order; avoidBuggyIPs skips .0 and .255; big pools are cheap', () => {
    const pool = (addresses: string[], avoidBuggyIPs = false): KObject => ({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'p' },
      spec: { addresses, avoidBuggyIPs },
    })
    const taken = (...ips: string[]) => new Set(ips.map(toInt))
    expect(toIp(firstFree(pool(['10.0.0.0/30']), taken('10.0.0.0'))!)).toBe('10.0.0.1')
    expect(firstFree(pool(['10.0.0.0/31']), taken('10.0.0.0', '10.0.0.1'))).toBeUndefined()
    expect(toIp(firstFree(pool(['10.0.0.254-10.0.1.1'], true), taken('10.0.0.254'))!)).toBe('10.0.1.1')
    expect(inPool(pool(['10.0.0.254-10.0.1.1'], true), toInt('10.0.1.0'))).toBe(false)
    expect(toIp(firstFree(pool(['10.0.0.0/8', '192.168.0.1-192.168.0.9']), new Set())!)).toBe('10.0.0.0')
  })

  it('elects one stable L2 leader per address', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4']
    expect(l2Leader(nodes, '172.18.0.200')).toBe(l2Leader([...nodes].reverse(), '172.18.0.200'))
    expect(nodes).toContain(l2Leader(nodes, '172.18.0.200'))
    expect(l2Leader([], '172.18.0.200')).toBeUndefined()
  })
})

describe("MetalLB's log lines", () => {
  it('are go-kit JSON with sorted keys, the level wrapper as caller, and a null where 0.13 logs a forgotten address', () => {
    const time = Date.UTC(2026, 11, 3, 21, 0, 0, 120)
    expect(
      metallbLine(
        {
          event: 'serviceWithdrawn',
          ip: null,
          msg: 'withdrawing service announcement',
          reason: 'serviceDeleted',
          service: 'default/cni',
        },
        time,
      ),
    ).toBe(
      '{"caller":"level.go:63","event":"serviceWithdrawn","ip":null,"level":"info","msg":"withdrawing service announcement","reason":"serviceDeleted","service":"default/cni","ts":"2026-12-03T21:00:00.12Z"}',
    )
  })
})
