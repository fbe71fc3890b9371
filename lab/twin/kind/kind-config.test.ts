import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { podCidrOrder } from '../cluster/bootstrap.ts'
import { nodeNames, parseKindConfig } from './kind-config.ts'

const install = readFileSync(new URL('../../../workspace/install.sh', import.meta.url), 'utf8')
const seedConfig = /<<EOF2 \| kind create cluster[^\n]*\n([\s\S]*?)\nEOF2/.exec(install)![1]

describe('kind config', () => {
  it("reads the seed's install.sh config: subnet, no CNI, roles, node-ip and labels from kubeadm patches", () => {
    const config = parseKindConfig(seedConfig)
    expect(config).toMatchObject({ name: 'clab-bgp', podSubnet: '10.98.0.0/16', disableDefaultCNI: true })
    expect(config.nodes.map((n) => [n.role, n.nodeIP, n.labels.rack])).toEqual([
      ['control-plane', '10.1.5.10', 'rack0'],
      ['worker', '10.1.5.11', 'rack0'],
      ['worker', '10.1.8.10', 'rack1'],
      ['worker', '10.1.8.11', 'rack1'],
    ])
    const names = nodeNames('clab-bgp', config.nodes)
    expect(names).toEqual(['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker2', 'clab-bgp-worker3'])
    // The seed's podCIDRs: control-plane .0, worker3 .1, worker2 .2, worker .3.
    const record = { nodes: config.nodes.map((n, i) => ({ ...n, name: names[i] })) } as Parameters<
      typeof podCidrOrder
    >[0]
    expect(podCidrOrder(record)).toEqual([
      'clab-bgp-control-plane',
      'clab-bgp-worker3',
      'clab-bgp-worker2',
      'clab-bgp-worker',
    ])
  })

  it('refuses what kind refuses, saying where', () => {
    expect(() => parseKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n')).toThrow(
      'unknown apiVersion: kind.x-k8s.io/v1alpha3',
    )
    expect(() =>
      parseKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: master\n'),
    ).toThrow('nodes[0].role: unknown role "master"')
    expect(() =>
      parseKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: worker\n'),
    ).toThrow('at least one control-plane')
  })
})
