import { describe, expect, it } from 'vitest'
import { ObjectStore } from '../store.ts'
import { kubeProxyRules } from './kube-proxy.ts'

describe('kube-proxy rules', () => {
  it('DNATs ClusterIP, LoadBalancer IPs and the node port to a random endpoint, and masquerades off-node backends', () => {
    const s = new ObjectStore(null)
    s.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cni', namespace: 'default' },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.10.182',
        selector: { app: 'cni' },
        ports: [{ port: 80, targetPort: 80, nodePort: 31354, protocol: 'TCP' }],
      },
      status: { loadBalancer: { ingress: [{ ip: '30.0.10.203' }] } },
    })
    s.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'cni', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.98.0.18' }, { ip: '10.98.2.249' }], ports: [{ port: 80, protocol: 'TCP' }] }],
    })
    const rules = kubeProxyRules(s)
    const map = 'numgen random mod 2 map { 0 : 10.98.0.18, 1 : 10.98.2.249 }'
    expect(rules).toContain(`    ip daddr 10.96.10.182 tcp dport 80 dnat to ${map}\n`)
    expect(rules).toContain(`    ip daddr 30.0.10.203 tcp dport 80 dnat to ${map}\n`)
    expect(rules).toContain(`    fib daddr type local tcp dport 31354 dnat to ${map} : 80\n`)
    expect(rules).toContain('    ct status dnat oifname != "lxc*" masquerade\n')
    // Hairpin: a backend reaching its own service is masqueraded, one rule per endpoint.
    expect(rules).toContain('    ct status dnat ip saddr 10.98.0.18 ip daddr 10.98.0.18 masquerade\n')
    expect(rules).toContain('    ct status dnat ip saddr 10.98.2.249 ip daddr 10.98.2.249 masquerade\n')
    expect(rules.startsWith('add table ip twin_kube_proxy\ndelete table ip twin_kube_proxy\n')).toBe(true)
  })

  it('leaves out services without endpoints', () => {
    const s = new ObjectStore(null)
    s.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x', namespace: 'default' },
      spec: { clusterIP: '10.96.0.5', selector: { app: 'x' }, ports: [{ port: 80 }] },
    })
    expect(kubeProxyRules(s)).not.toContain('10.96.0.5')
  })
})
