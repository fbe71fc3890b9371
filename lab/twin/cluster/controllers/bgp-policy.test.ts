import { describe, expect, it } from 'vitest'
import type { KObject } from '../store.ts'
import { nodeBgp, POLICY_CONFLICT } from './bgp-policy.ts'

const node: KObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'w', labels: { rack: 'rack0' } },
  spec: { podCIDR: '10.98.3.0/24' },
}
const policy = (name: string, nodeSelector: unknown, router: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'cilium.io/v2alpha1',
  kind: 'CiliumBGPPeeringPolicy',
  metadata: { name },
  spec: {
    nodeSelector,
    virtualRouters: [
      { localASN: 65005, exportPodCIDR: true, neighbors: [{ peerAddress: '10.1.5.1/24', peerASN: 65005 }], ...router },
    ],
  },
})
const svc = (name: string, labels: Record<string, string>, ip: string, type = 'LoadBalancer'): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels },
  spec: { type },
  status: { loadBalancer: { ingress: [{ ip }] } },
})
const services = [
  svc('cni', { color: 'red' }, '30.0.10.203'),
  svc('test', { env: 'test' }, '30.0.10.9'),
  svc('np', {}, '1.2.3.4', 'NodePort'),
]

describe('nodeBgp (Cilium 1.13 policy semantics)', () => {
  it('advertises the podCIDR with router id = node IP and the neighbor address without its mask', () => {
    expect(nodeBgp(node, '10.1.5.11', [policy('rack0', { matchLabels: { rack: 'rack0' } })], services)).toEqual({
      routers: [
        {
          asn: 65005,
          routerId: '10.1.5.11',
          neighbors: [{ address: '10.1.5.1', asn: 65005 }],
          prefixes: ['10.98.3.0/24'],
        },
      ],
    })
  })

  it('nil nodeSelector selects no node, {} selects all', () => {
    expect(nodeBgp(node, '10.1.5.11', [policy('p', undefined)], services).routers).toEqual([])
    expect(nodeBgp(node, '10.1.5.11', [policy('p', {})], services).routers).toHaveLength(1)
  })

  it('announces no service without serviceSelector, and LoadBalancer ingress IPs as /32 with one', () => {
    const selector = { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['test'] }] }
    const [router] = nodeBgp(node, '10.1.5.11', [policy('p', {}, { serviceSelector: selector })], services).routers
    expect(router.prefixes).toEqual(['10.98.3.0/24', '30.0.10.203/32'])
    const byName = nodeBgp(
      node,
      '10.1.5.11',
      [policy('p', {}, { serviceSelector: { matchLabels: { 'io.kubernetes.service.name': 'test' } } })],
      services,
    )
    expect(byName.routers[0].prefixes).toContain('30.0.10.9/32')
  })

  it('withdraws everything when two policies select the node, with upstream message', () => {
    expect(
      nodeBgp(node, '10.1.5.11', [policy('a', {}), policy('b', { matchLabels: { rack: 'rack0' } })], services),
    ).toEqual({ routers: [], error: POLICY_CONFLICT })
  })

  it('takes the router id from the virtual-router annotation, and errs without any IPv4', () => {
    const annotated = {
      ...node,
      metadata: { ...node.metadata, annotations: { 'cilium.io/bgp-virtual-router.65005': 'router-id=9.9.9.9' } },
    }
    expect(nodeBgp(annotated, undefined, [policy('p', {})], []).routers[0].routerId).toBe('9.9.9.9')
    expect(nodeBgp(node, undefined, [policy('p', {})], []).error).toMatch(/router ID/)
  })

  it('stops exporting the podCIDR when exportPodCIDR is false', () => {
    expect(nodeBgp(node, '10.1.5.11', [policy('p', {}, { exportPodCIDR: false })], []).routers[0].prefixes).toEqual([])
  })
})
