import { describe, expect, it } from 'vitest'
import { type KObject, ObjectStore } from '../store.ts'
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
const ingress = (s: ObjectStore, name: string) =>
  s.get('Service', 'default', name)!.status?.loadBalancer?.ingress?.map((i: { ip: string }) => i.ip) ?? []
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
    expect(condition(s.get('CiliumLoadBalancerIPPool', undefined, 'red')!, 'io.cilium/ips-available').message).toBe(
      '253',
    )
    const s2 = new ObjectStore(null)
    s2.create(pool('tiny', '10.0.0.0/30'))
    for (const n of ['a', 'b', 'c']) s2.create(svc(n))
    reconcileLbIpam(s2, () => 0)
    expect([...ingress(s2, 'a'), ...ingress(s2, 'b')].sort()).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(condition(s2.get('Service', 'default', 'c')!, 'io.cilium/lb-ipam-request-satisfied')).toMatchObject({
      status: 'False',
      reason: 'out_of_ips',
    })
  })

  it('leaves a service pending with no_pool when no pool matches, and strips addresses it does not own', () => {
    const s = new ObjectStore(null)
    s.create(pool('blue', '20.0.10.0/24', { matchLabels: { color: 'blue' } }))
    s.create(svc('cni', { color: 'red' }, '172.18.0.200'))
    reconcileLbIpam(s)
    expect(ingress(s, 'cni')).toEqual([])
    expect(condition(s.get('Service', 'default', 'cni')!, 'io.cilium/lb-ipam-request-satisfied')).toMatchObject({
      status: 'False',
      reason: 'no_pool',
      message: 'There are no enabled CiliumLoadBalancerIPPools that match this service',
    })
  })

  it('marks the newer of two overlapping pools conflicting and does not allocate from it', () => {
    const s = new ObjectStore(null)
    s.create(pool('old', '30.0.10.0/24', { matchLabels: { color: 'blue' } }), 1000)
    s.create(pool('new', '30.0.10.0/25'), 2000)
    s.create(svc('cni', { color: 'red' }))
    reconcileLbIpam(s)
    const conflict = condition(s.get('CiliumLoadBalancerIPPool', undefined, 'new')!, 'io.cilium/conflict')
    expect(conflict).toMatchObject({
      status: 'True',
      reason: 'cidr_overlap',
      message: "Pool conflicts since CIDR '30.0.10.0/25' overlaps CIDR '30.0.10.0/24' from IP Pool 'old'",
    })
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

  describe('Cilium 1.18 pools (blocks)', () => {
    /** A store whose Cilium runs `version` (the agent image the operator reads it from). */
    const cilium = (version: string) => {
      const s = new ObjectStore(null)
      s.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cilium-config', namespace: 'kube-system' },
        data: {},
      } as KObject)
      s.create({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'cilium', namespace: 'kube-system' },
        spec: { template: { spec: { containers: [{ image: `quay.io/cilium/cilium:v${version}` }] } } },
      } as KObject)
      return s
    }
    const blocksPool = (name: string, spec: object): KObject => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumLoadBalancerIPPool',
      metadata: { name },
      spec,
    })
    const counts = (s: ObjectStore, name: string) =>
      ['cilium.io/IPsTotal', 'cilium.io/IPsAvailable', 'cilium.io/IPsUsed'].map(
        (type) => condition(s.get('CiliumLoadBalancerIPPool', undefined, name)!, type).message,
      )

    it('hands out the first and last address of a cidr block by default, and counts them in the total', () => {
      const s = cilium('1.18.2')
      s.create(blocksPool('tiny', { blocks: [{ cidr: '10.0.0.0/30' }] }))
      for (const n of ['a', 'b', 'c', 'd']) s.create(svc(n))
      reconcileLbIpam(s, () => 0)
      expect(['a', 'b', 'c', 'd'].flatMap((n) => ingress(s, n)).sort()).toEqual([
        '10.0.0.0',
        '10.0.0.1',
        '10.0.0.2',
        '10.0.0.3',
      ])
      expect(counts(s, 'tiny')).toEqual(['4', '0', '4'])
    })

    it('with allowFirstLastIPs "No" keeps the network and broadcast address of a cidr, counted as used', () => {
      const s = cilium('1.18.2')
      s.create(blocksPool('red', { allowFirstLastIPs: 'No', blocks: [{ cidr: '30.0.10.0/24' }] }))
      reconcileLbIpam(s)
      expect(counts(s, 'red')).toEqual(['256', '254', '2'])
      const tiny = cilium('1.18.2')
      tiny.create(blocksPool('tiny', { allowFirstLastIPs: 'No', blocks: [{ cidr: '10.0.0.0/30' }] }))
      for (const n of ['a', 'b', 'c']) tiny.create(svc(n))
      reconcileLbIpam(tiny, () => 0)
      expect(['a', 'b', 'c'].flatMap((n) => ingress(tiny, n)).sort()).toEqual(['10.0.0.1', '10.0.0.2'])
      expect(condition(tiny.get('Service', 'default', 'c')!, 'cilium.io/IPAMRequestSatisfied')).toMatchObject({
        reason: 'out_of_ips',
      })
      expect(counts(tiny, 'tiny')).toEqual(['4', '0', '4'])
      // A requested network address is refused as well: it is taken.
      const asked = svc('d')
      asked.metadata.annotations = { 'io.cilium/lb-ipam-ips': '10.0.0.0' }
      tiny.create(asked)
      reconcileLbIpam(tiny, () => 0)
      expect(ingress(tiny, 'd')).toEqual([])
    })

    it("names the service's condition cilium.io/IPAMRequestSatisfied and keeps another controller's conditions", () => {
      const s = cilium('1.18.2')
      s.create(
        blocksPool('blue', { blocks: [{ cidr: '20.0.10.0/24' }], serviceSelector: { matchLabels: { color: 'blue' } } }),
      )
      const red = svc('cni', { color: 'red' })
      red.status = { conditions: [{ type: 'example.com/Other', status: 'True', reason: 'x', message: '' }] }
      s.create(red)
      reconcileLbIpam(s)
      expect(s.get('Service', 'default', 'cni')!.status.conditions).toEqual([
        { type: 'example.com/Other', status: 'True', reason: 'x', message: '' },
        {
          type: 'cilium.io/IPAMRequestSatisfied',
          status: 'False',
          reason: 'no_pool',
          message: 'There are no enabled CiliumLoadBalancerIPPools that match this service',
        },
      ])
    })

    it('honours lbipam.cilium.io/ips before its alias io.cilium/lb-ipam-ips, and spec.loadBalancerIP too', () => {
      const s = cilium('1.18.2')
      s.create(blocksPool('p', { blocks: [{ cidr: '30.0.10.0/24' }] }))
      const both = svc('both')
      both.metadata.annotations = { 'lbipam.cilium.io/ips': '30.0.10.42', 'io.cilium/lb-ipam-ips': '30.0.10.43' }
      const legacy = svc('legacy')
      legacy.spec.loadBalancerIP = '30.0.10.44'
      s.create(both)
      s.create(legacy)
      reconcileLbIpam(s)
      expect(ingress(s, 'both')).toEqual(['30.0.10.42'])
      expect(ingress(s, 'legacy')).toEqual(['30.0.10.44'])
    })

    it("keeps 1.13's condition on a service whose address stays after the upgrade, and sets 1.18's on a new allocation", () => {
      const s = cilium('1.18.2')
      s.create(blocksPool('red', { blocks: [{ cidr: '30.0.10.0/24' }] }))
      const old = svc('cni', {}, '30.0.10.7')
      old.status.conditions = [
        { type: 'io.cilium/lb-ipam-request-satisfied', status: 'True', reason: 'satisfied', message: '' },
      ]
      s.create(old)
      s.create(svc('fresh'))
      reconcileLbIpam(s, () => 0)
      expect(ingress(s, 'cni')).toEqual(['30.0.10.7'])
      expect(s.get('Service', 'default', 'cni')!.status.conditions.map((c: { type: string }) => c.type)).toEqual([
        'io.cilium/lb-ipam-request-satisfied',
      ])
      expect(s.get('Service', 'default', 'fresh')!.status.conditions).toEqual([
        { type: 'cilium.io/IPAMRequestSatisfied', status: 'True', reason: 'satisfied', message: '' },
      ])
    })

    it("writes a pool's counts and conflict under 1.18's names, next to what 1.13 wrote there", () => {
      const s = cilium('1.18.2')
      const red = blocksPool('red', { blocks: [{ cidr: '30.0.10.0/30' }] })
      red.status = { conditions: [{ type: 'io.cilium/conflict', status: 'False', reason: 'resolved', message: '' }] }
      s.create(red)
      reconcileLbIpam(s)
      expect(
        s
          .get('CiliumLoadBalancerIPPool', undefined, 'red')!
          .status.conditions.map((c: { type: string; message: string }) => `${c.type}=${c.message}`),
      ).toEqual([
        'io.cilium/conflict=',
        'cilium.io/IPsTotal=4',
        'cilium.io/IPsAvailable=4',
        'cilium.io/IPsUsed=0',
        'cilium.io/PoolConflict=',
      ])
    })

    it("reads no `cidrs` (1.16 removed them): a 1.13 pool hands out nothing and its service's address goes, until it lists blocks", () => {
      const s = cilium('1.18.2')
      s.create(pool('red', '30.0.10.0/24'))
      s.create(svc('cni', {}, '30.0.10.7'))
      reconcileLbIpam(s, () => 0)
      expect(ingress(s, 'cni')).toEqual([])
      expect(condition(s.get('Service', 'default', 'cni')!, 'cilium.io/IPAMRequestSatisfied')).toMatchObject({
        status: 'False',
        reason: 'out_of_ips',
      })
      s.patch(
        'CiliumLoadBalancerIPPool',
        undefined,
        'red',
        (o) => void (o.spec = { blocks: [{ cidr: '30.0.10.0/24' }] }),
      )
      reconcileLbIpam(s, () => 0)
      expect(ingress(s, 'cni')).toEqual(['30.0.10.0'])
    })

    it('releases what 1.13 allocated when the last pool goes after the upgrade', () => {
      const s = cilium('1.18.2')
      const old = svc('cni', {}, '30.0.10.7')
      old.status.conditions = [
        { type: 'io.cilium/lb-ipam-request-satisfied', status: 'True', reason: 'satisfied', message: '' },
      ]
      s.create(old)
      reconcileLbIpam(s)
      expect(ingress(s, 'cni')).toEqual([])
    })

    it('allocates a start/stop block whole, both ends included, whatever allowFirstLastIPs says', () => {
      const s = cilium('1.18.2')
      s.create(blocksPool('range', { allowFirstLastIPs: 'No', blocks: [{ start: '20.0.0.10', stop: '20.0.0.12' }] }))
      for (const n of ['a', 'b', 'c']) s.create(svc(n))
      reconcileLbIpam(s, () => 0)
      expect(['a', 'b', 'c'].flatMap((n) => ingress(s, n)).sort()).toEqual(['20.0.0.10', '20.0.0.11', '20.0.0.12'])
      expect(counts(s, 'range')).toEqual(['3', '0', '3'])
    })

    it('serves a service only from a block of a pool whose serviceSelector matches it; an overlapping range conflicts', () => {
      const s = cilium('1.18.2')
      s.create(
        blocksPool('red', {
          blocks: [{ start: '30.0.10.5', stop: '30.0.10.5' }],
          serviceSelector: { matchLabels: { color: 'red' } },
        }),
        1000,
      )
      s.create(blocksPool('wide', { blocks: [{ cidr: '30.0.10.0/29' }] }), 2000)
      s.create(svc('red-svc', { color: 'red' }))
      s.create(svc('blue-svc', { color: 'blue' }))
      reconcileLbIpam(s, () => 0)
      expect(ingress(s, 'red-svc')).toEqual(['30.0.10.5'])
      expect(ingress(s, 'blue-svc')).toEqual([])
      expect(condition(s.get('CiliumLoadBalancerIPPool', undefined, 'wide')!, 'cilium.io/PoolConflict')).toMatchObject({
        status: 'True',
        message: "Pool conflicts since CIDR '30.0.10.0/29' overlaps CIDR '30.0.10.5-30.0.10.5' from IP Pool 'red'",
      })
    })
  })
})
