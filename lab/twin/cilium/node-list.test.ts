import { describe, expect, it } from 'vitest'
import type { KObject } from '../cluster/store.ts'
import { agentNodes, formatNodeList } from './node-list.ts'

const ciliumNode = (name: string, ip: string, cidr: string): KObject =>
  ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNode',
    metadata: { name },
    spec: {
      addresses: [
        { type: 'CiliumInternalIP', ip: cidr.replace(/0\/24$/, '1') },
        { type: 'InternalIP', ip },
      ],
      ipam: { podCIDRs: [cidr] },
    },
  }) as KObject

describe('cilium node list (v1.13 agent)', () => {
  const nodes = [
    ciliumNode('clab-bgp-worker', '10.1.5.11', '10.98.1.0/24'),
    ciliumNode('clab-bgp-control-plane', '10.1.5.10', '10.98.0.0/24'),
  ]

  it('prints the header, then the nodes by name with their InternalIP and pod CIDR; the empty IPv6 column padded', () => {
    expect(formatNodeList(agentNodes(nodes, 'default'))).toBe(
      'Name                     IPv4 Address   Endpoint CIDR   IPv6 Address   Endpoint CIDR\n' +
        'clab-bgp-control-plane   10.1.5.10      10.98.0.0/24                   \n' +
        'clab-bgp-worker          10.1.5.11      10.98.1.0/24                   \n',
    )
  })

  it('names nodes <cluster>/<node> when the cluster is not named default', () => {
    expect(agentNodes(nodes, 'rack').map((n) => n.name)).toEqual([
      'rack/clab-bgp-worker',
      'rack/clab-bgp-control-plane',
    ])
  })

  it('prints nothing, not even the header, when it knows no node', () => {
    expect(formatNodeList([])).toBe('')
  })
})
