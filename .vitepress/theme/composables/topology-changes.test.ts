import { expect, it } from 'vitest'
import type { TopologySnapshot } from '../../../protocol/messages'
import { topologyChanges } from './topology-changes'

const lab = (leaf1: boolean, at: number): TopologySnapshot => ({
  routers: [
    { name: 'spine0', role: 'spine', asn: 500, reachable: true },
    { name: 'leaf1', role: 'leaf', asn: 65008, reachable: leaf1 },
  ],
  nodes: [],
  sessions: [{ router: 'spine0', peer: 'leaf1', state: leaf1 ? 'Established' : 'Active' }],
  routes: leaf1
    ? [
        {
          router: 'spine0',
          prefix: '10.98.2.0/24',
          kind: 'pod-cidr',
          of: 'worker2',
          nextHops: [{ address: '10.1.34.1', name: 'leaf1' }],
        },
      ]
    : [],
  at,
})

it('finds nothing to say when only the time of reading differs', () => {
  expect(topologyChanges(lab(true, 1), lab(true, 2))).toEqual([])
})

it('says which router stopped answering, which session changed state and where routes changed', () => {
  expect(topologyChanges(lab(true, 1), lab(false, 2))).toEqual([
    { kind: 'router', router: 'leaf1', reachable: false },
    { kind: 'session', router: 'spine0', peer: 'leaf1', state: 'Active' },
    { kind: 'routes', routers: ['spine0'] },
  ])
})
