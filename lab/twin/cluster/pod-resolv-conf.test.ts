import { describe, expect, it } from 'vitest'
import { podResolvConf } from './pod-resolv-conf.ts'

const pod = (spec: object, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace },
  spec,
})

describe('podResolvConf', () => {
  it('writes what kind pods show: the namespace search list, 10.96.0.10 and ndots:5', () => {
    expect(podResolvConf(pod({}), 'nameserver 10.255.255.53\n')).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    )
  })

  it("appends the node's own search domains, up to kubelet's six", () => {
    const node =
      '# from the host\nnameserver 192.0.2.53\nsearch corp.example lab.example a.example b.example\noptions edns0\n'
    expect(podResolvConf(pod({}, 'kube-system'), node)).toBe(
      'search kube-system.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example a.example\nnameserver 10.96.0.10\noptions ndots:5\n',
    )
  })

  it("leaves the node's resolv.conf to dnsPolicy Default and host-network pods, not to ClusterFirstWithHostNet", () => {
    expect(podResolvConf(pod({ dnsPolicy: 'Default' }), 'nameserver 192.0.2.53\n')).toBeNull()
    expect(podResolvConf(pod({ hostNetwork: true }), 'nameserver 192.0.2.53\n')).toBeNull()
    expect(podResolvConf(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), '')).toContain(
      'nameserver 10.96.0.10\n',
    )
  })

  it('appends spec.dnsConfig, replacing an option of the same name; dnsPolicy None keeps only it', () => {
    const dnsConfig = {
      nameservers: ['192.0.2.1'],
      searches: ['my.dns.search.suffix'],
      options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    }
    expect(podResolvConf(pod({ dnsConfig }), '')).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local my.dns.search.suffix\nnameserver 10.96.0.10\nnameserver 192.0.2.1\noptions ndots:2 edns0\n',
    )
    expect(
      podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'] } }), 'search corp.example\n'),
    ).toBe('nameserver 192.0.2.1\n')
  })
})
