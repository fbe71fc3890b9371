import { describe, expect, it } from 'vitest'
import { clusterDnsHosts } from './dns-records.ts'
import { ObjectStore } from './store.ts'

const service = (name: string, namespace: string, spec: object) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec,
})

describe('clusterDnsHosts', () => {
  it('names a ClusterIP service by its ClusterIP and a headless one by its ready endpoints', () => {
    const store = new ObjectStore(null)
    store.create(service('kubernetes', 'default', { type: 'ClusterIP', clusterIP: '10.96.0.1' }))
    store.create(service('kube-dns', 'kube-system', { type: 'ClusterIP', clusterIP: '10.96.0.10' }))
    store.create(service('db', 'shop', { type: 'ClusterIP', clusterIP: 'None' }))
    store.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.98.0.18' }, { ip: '10.98.2.249' }] }],
    })
    store.create(service('old', 'shop', { type: 'ExternalName', externalName: 'db.example.com' }))
    expect(clusterDnsHosts(store)).toBe(
      '10.96.0.1 kubernetes.default.svc.cluster.local\n' +
        '10.96.0.10 kube-dns.kube-system.svc.cluster.local\n' +
        '10.98.0.18 10-98-0-18.db.shop.svc.cluster.local db.shop.svc.cluster.local\n' +
        '10.98.2.249 10-98-2-249.db.shop.svc.cluster.local db.shop.svc.cluster.local\n',
    )
  })

  it('drops a service once it is deleted', () => {
    const store = new ObjectStore(null)
    store.create(service('web', 'default', { type: 'LoadBalancer', clusterIP: '10.96.7.7' }))
    expect(clusterDnsHosts(store)).toBe('10.96.7.7 web.default.svc.cluster.local\n')
    store.delete('Service', 'default', 'web')
    expect(clusterDnsHosts(store)).toBe('')
  })
})
