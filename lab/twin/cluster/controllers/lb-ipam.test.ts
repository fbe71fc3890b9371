import { describe, expect, it } from 'vitest'
import { ObjectStore, type KObject } from '../store.ts'
import { reconcileLbIpam } from './lb-ipam.ts'

const pool = (name: string, cidr: string, serviceSelector?: unknown): KObject => ({
  apiVersion: 'cilium.io/v2alpha1',
  kind: 'CiliumLoadBalancerIPPool',
  metadata: { name },
  spec: { disabled: false, cidrs: [{ cidr }], ...(serviceSelector ? { serviceSelector } : {}) },
})
const svc = (name: string, labels: Record<string, string> = {}, ingress?: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels },
  spec: { type: 'LoadBalancer' },
  ...(ingress ? { status: { loadBalancer: { ingress: [{ ip: ingress }] } } } : {}),
})
const ingress = (s: ObjectStore, name: string) => s.get('Service', 'default', name)!.status?.loadBalancer?.ingress?.map((i: { ip: string }) => i.ip) ?? []
const condition = (o: KObject, type: string) => o.status.conditions.find((c: { type: string }) => c.type === type)

describe('LB-IPAM', () => {
  it('is dormant without pools: MetalLB-style addresses stay', () => {
    const s = new ObjectStore(null)
    s.create(svc('cni', {}, '172.18.0.200'))
    reconcileLbIpam(s)
    expect(ingress(s, 'cni')).toEqual(['172.18.0.200'])
  })

  it('allocates randomly inside the first matching pool, never network or broadcast', () => {
    const s = new ObjectStore(null)
    s.create(pool('red', '30.0.10.0/24', { matchLabels: { color: 'red' } }))
    s.create(svc('cni', { color: 'red' }))
    reconcileLbIpam(s, () => 0.5)
    expect(ingress(s, 'cni')).toEqual(['30.0.10.128'])
    reconcileLbIpam(s, () => 0.999)
    expect(ingress(s, 'cni')).toEqual(['30.0.10.128'])
    s.delete('CiliumLoadBalancerIPPool', undefined, 'red')
    reconcileLbIpam(s)
    expect(ingress(s, 'cni')).toEqual([])
    s.create(pool('red', '30.0.10.0/24', { matchLabels: { color: 'red' } }))
    reconcileLbIpam(s, () => 0.5)
    expect(condition(s.get('CiliumLoadBalancerIPPool', undefined, 'red')!, 'cilium.io/IPsAvailable').message).toBe('253')
    const s2 = new ObjectStore(null)
    s2.create(pool('tiny', '10.0.0.0/30'))
    for (const n of ['a', 'b', 'c']) s2.create(svc(n))
    reconcileLbIpam(s2, () => 0)
    expect([...ingress(s2, 'a'), ...ingress(s2, 'b')].sort()).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(condition(s2.get('Service', 'default', 'c')!, 'io.cilium/lb-ipam-request-satisfied')).toMatchObject({ status: 'False', reason: 'out_of_ips' })
  })

  it('leaves a service pending with no_pool when no pool matches, and strips addresses it does not own', () => {
    const s = new ObjectStore(null)
    s.create(pool('blue', '20.0.10.0/24', { matchLabels: { color: 'blue' } }))
    s.create(svc('cni', { color: 'red' }, '172.18.0.200'))
    reconcileLbIpam(s)
    expect(ingress(s, 'cni')).toEqual([])
    expect(condition(s.get('Service', 'default', 'cni')!, 'io.cilium/lb-ipam-request-satisfied')).toMatchObject({ status: 'False', reason: 'no_pool', message: 'There are no enabled CiliumLoadBalancerIPPools that match this service' })
  })

  it('marks the newer of two overlapping pools conflicting and does not allocate from it', () => {
    const s = new ObjectStore(null)
    s.create(pool('old', '30.0.10.0/24', { matchLabels: { color: 'blue' } }), 1000)
    s.create(pool('new', '30.0.10.0/25'), 2000)
    s.create(svc('cni', { color: 'red' }))
    reconcileLbIpam(s)
    const conflict = condition(s.get('CiliumLoadBalancerIPPool', undefined, 'new')!, 'cilium.io/PoolConflict')
    expect(conflict).toMatchObject({ status: 'True', reason: 'cidr_overlap', message: "Pool conflicts since CIDR '30.0.10.0/25' overlaps CIDR '30.0.10.0/24' from IP Pool 'old'" })
    expect(ingress(s, 'cni')).toEqual([])
  })

  it('honours a requested address (io.cilium/lb-ipam-ips)', () => {
    const s = new ObjectStore(null)
    s.create(pool('p', '30.0.10.0/24'))
    const wanted = svc('cni')
    wanted.metadata.annotations = { 'io.cilium/lb-ipam-ips': '30.0.10.42' }
    s.create(wanted)
    reconcileLbIpam(s)
    expect(ingress(s, 'cni')).toEqual(['30.0.10.42'])
  })
})
