import { describe, expect, it } from 'vitest'
import type { KObject } from '../store.ts'
import {
  CONFLICTING_CLUSTER_CONFIG,
  MISSING_PEER_CONFIGS,
  NO_MATCHING_NODE,
  operatorDecision,
} from './bgp-node-configs.ts'
import { nodeConfigStatus } from './bgp-node-status.ts'
import { nodeBgpV2, peerTimers } from './bgp-v2.ts'

const obj = (
  kind: string,
  name: string,
  spec: unknown,
  labels?: Record<string, string>,
  created = '2025-01-01T00:00:00Z',
): KObject => ({
  apiVersion: 'cilium.io/v2',
  kind,
  metadata: { name, labels, creationTimestamp: created },
  spec,
})
const node = (name: string, rack: string) =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { rack } }, spec: {} }) as KObject
const nodes = [node('cp', 'rack0'), node('w1', 'rack0'), node('w2', 'rack1')]
const rack = (
  name: string,
  asn: number,
  leaf: string,
  selector: unknown = { matchLabels: { rack: name } },
  created?: string,
) =>
  obj(
    'CiliumBGPClusterConfig',
    name,
    {
      nodeSelector: selector,
      bgpInstances: [
        {
          name,
          localASN: asn,
          peers: [{ name: 'leaf', peerASN: asn, peerAddress: leaf, peerConfigRef: { name: 'peer' } }],
        },
      ],
    },
    undefined,
    created,
  )
const peerConfig = obj('CiliumBGPPeerConfig', 'peer', {
  families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: { advertise: 'bgp' } } }],
})
const svc = (name: string, labels: Record<string, string>, ip: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels },
  spec: { type: 'LoadBalancer', clusterIP: '10.96.0.9' },
  status: { loadBalancer: { ingress: [{ ip }] } },
})
const services = [svc('cni', { color: 'red' }, '30.0.10.7'), svc('test', { env: 'test' }, '30.0.10.9')]
const advert = (entries: unknown[], labels = { advertise: 'bgp' }) =>
  obj('CiliumBGPAdvertisement', 'ads', { advertisements: entries }, labels)
const podCidr = { advertisementType: 'PodCIDR' }
const lbRed = {
  advertisementType: 'Service',
  service: { addresses: ['LoadBalancerIP'] },
  selector: { matchLabels: { color: 'red' } },
}

describe('operatorDecision (Cilium 1.18 operator)', () => {
  it('writes one node config per selected node, with the instance and its peers', () => {
    const { nodeConfigs, conditions } = operatorDecision(
      [rack('rack0', 65005, '10.1.5.1'), rack('rack1', 65008, '10.1.8.1')],
      [peerConfig],
      [],
      nodes,
    )
    expect([...nodeConfigs.keys()].sort()).toEqual(['cp', 'w1', 'w2'])
    expect(nodeConfigs.get('w2')!.owner.metadata.name).toBe('rack1')
    expect(nodeConfigs.get('cp')!.spec).toEqual({
      bgpInstances: [
        {
          name: 'rack0',
          localASN: 65005,
          peers: [{ name: 'leaf', peerAddress: '10.1.5.1', peerASN: 65005, peerConfigRef: { name: 'peer' } }],
        },
      ],
    })
    expect(conditions.get('rack0')!.every((c) => c.status === 'False')).toBe(true)
  })

  it('selects every node with a nil nodeSelector (v1 selected none)', () => {
    expect(operatorDecision([rack('all', 65005, '10.1.5.1', null)], [peerConfig], [], nodes).nodeConfigs.size).toBe(3)
  })

  it('flags no matching node, missing peer configs, and a newer config selecting a claimed node', () => {
    const { nodeConfigs, conditions } = operatorDecision(
      [
        rack('rack0', 65005, '10.1.5.1', null, '2025-01-01T00:00:00Z'),
        rack('late', 65009, '10.1.9.1', { matchLabels: { rack: 'rack1' } }, '2025-01-02T00:00:00Z'),
        rack('none', 1, '1.1.1.1', { matchLabels: { rack: 'x' } }),
      ],
      [],
      [],
      nodes,
    )
    expect(nodeConfigs.get('w2')!.owner.metadata.name).toBe('rack0')
    const on = (name: string) =>
      conditions
        .get(name)!
        .filter((c) => c.status === 'True')
        .map((c) => c.type)
    expect(on('late')).toEqual([MISSING_PEER_CONFIGS, CONFLICTING_CLUSTER_CONFIG])
    expect(on('none')).toEqual([NO_MATCHING_NODE, MISSING_PEER_CONFIGS])
  })

  it('applies the node override named after the node', () => {
    const override = obj('CiliumBGPNodeConfigOverride', 'w1', {
      bgpInstances: [
        { name: 'rack0', routerID: '9.9.9.9', localASN: 65100, peers: [{ name: 'leaf', localAddress: '10.1.5.11' }] },
      ],
    })
    const { nodeConfigs } = operatorDecision([rack('rack0', 65005, '10.1.5.1')], [peerConfig], [override], nodes)
    expect(nodeConfigs.get('w1')!.spec.bgpInstances[0]).toMatchObject({
      localASN: 65100,
      routerID: '9.9.9.9',
      peers: [{ localAddress: '10.1.5.11' }],
    })
    expect(nodeConfigs.get('cp')!.spec.bgpInstances[0]).not.toHaveProperty('routerID')
  })
})

describe('nodeBgpV2 (Cilium 1.18 agent)', () => {
  it("gives each neighbor its peer config's timers, the CRD defaults filling what is missing", () => {
    const timed = obj('CiliumBGPPeerConfig', 'peer', {
      ...peerConfig.spec,
      timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3 },
    })
    const spec = operatorDecision([rack('rack0', 65005, '10.1.5.1')], [timed], [], nodes).nodeConfigs.get('w1')!.spec
    const decision = nodeBgpV2(obj('CiliumBGPNodeConfig', 'w1', spec), '10.1.5.11', [], [timed], [], [])
    expect(decision.routers[0].neighbors).toEqual([
      { address: '10.1.5.1', asn: 65005, timers: { connectRetry: 120, holdTime: 9, keepalive: 3 } },
    ])
  })

  const nodeConfig = (
    spec = operatorDecision([rack('rack0', 65005, '10.1.5.1')], [peerConfig], [], nodes).nodeConfigs.get('w1')!.spec,
  ) => obj('CiliumBGPNodeConfig', 'w1', spec)

  it('advertises nothing until an advertisement matches the peer config selector', () => {
    const decision = nodeBgpV2(nodeConfig(), '10.1.5.11', ['10.98.1.0/24'], [peerConfig], [], services)
    expect(decision.routers).toEqual([
      {
        asn: 65005,
        routerId: '10.1.5.11',
        neighbors: [{ address: '10.1.5.1', asn: 65005, timers: { connectRetry: 120, holdTime: 90, keepalive: 30 } }],
        prefixes: [],
      },
    ])
    expect(
      nodeBgpV2(
        nodeConfig(),
        '10.1.5.11',
        ['10.98.1.0/24'],
        [peerConfig],
        [advert([podCidr], { advertise: 'other' })],
        services,
      ).routers[0].prefixes,
    ).toEqual([])
  })

  it('advertises the pod CIDR and the selected LoadBalancer IPs as /32', () => {
    const decision = nodeBgpV2(
      nodeConfig(),
      '10.1.5.11',
      ['10.98.1.0/24'],
      [peerConfig],
      [advert([podCidr, lbRed])],
      services,
    )
    expect(decision.routers[0].prefixes).toEqual(['10.98.1.0/24', '30.0.10.7/32'])
    expect(decision.instances[0].peers[0]).toMatchObject({
      name: 'leaf',
      peerConfig: 'peer',
      prefixes: ['10.98.1.0/24', '30.0.10.7/32'],
    })
  })

  it('matches no service with a Service advertisement that has no selector', () => {
    const { selector: _, ...noSelector } = lbRed
    expect(
      nodeBgpV2(nodeConfig(), '10.1.5.11', [], [peerConfig], [advert([noSelector])], services).routers[0].prefixes,
    ).toEqual([])
  })

  it('advertises nothing to a peer whose peer config is missing', () => {
    expect(
      nodeBgpV2(nodeConfig(), '10.1.5.11', ['10.98.1.0/24'], [], [advert([podCidr])], services).routers[0].prefixes,
    ).toEqual([])
  })

  it('takes the router id from the node config, and has no BGP without a node config', () => {
    const spec = operatorDecision(
      [rack('rack0', 65005, '10.1.5.1')],
      [peerConfig],
      [obj('CiliumBGPNodeConfigOverride', 'w1', { bgpInstances: [{ name: 'rack0', routerID: '9.9.9.9' }] })],
      nodes,
    ).nodeConfigs.get('w1')!.spec
    expect(nodeBgpV2(nodeConfig(spec), '10.1.5.11', [], [peerConfig], [], []).routers[0].routerId).toBe('9.9.9.9')
    expect(nodeBgpV2(undefined, '10.1.5.11', [], [], [], [])).toEqual({ routers: [], instances: [] })
  })
})

describe('nodeConfigStatus', () => {
  it('reports each peer with its session state, established time and route counts', () => {
    const timers = peerTimers(undefined)
    const instances = [
      {
        name: 'rack0',
        asn: 65005,
        peers: [
          { name: 'leaf', address: '10.1.5.1', asn: 65005, timers, prefixes: [] },
          { name: 'other', address: '10.1.5.2', asn: 65005, timers, prefixes: [] },
        ],
      },
    ]
    const peers = [
      {
        'local-asn': 65005,
        'peer-address': '10.1.5.1',
        'peer-asn': 65005,
        'session-state': 'established',
        'uptime-nanoseconds': 5e9,
        families: [{ afi: 'ipv4', safi: 'unicast', received: 6, advertised: 2 }],
      },
    ]
    expect(nodeConfigStatus(instances, peers, Date.parse('2025-06-01T10:00:05.400Z'))).toEqual({
      bgpInstances: [
        {
          name: 'rack0',
          localASN: 65005,
          peers: [
            {
              name: 'leaf',
              peerAddress: '10.1.5.1',
              peerASN: 65005,
              peeringState: 'established',
              establishedTime: '2025-06-01T10:00:00Z',
              routeCount: [{ afi: 'ipv4', safi: 'unicast', received: 6, advertised: 2 }],
            },
            { name: 'other', peerAddress: '10.1.5.2', peerASN: 65005 },
          ],
        },
      ],
    })
  })
})
