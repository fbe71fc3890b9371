import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TopologySnapshot } from '../../protocol/messages.ts'
import { buildSnapshot, type ProbeAnswers } from './build-snapshot.ts'
import { FABRIC_ROUTERS } from './topology-reader.ts'

/** What the probes answered at one moment (fixtures/README.md); a missing file is a probe that failed. */
function answersOf(scene: string): ProbeAnswers {
  const read = (file: string) => {
    const path = join(import.meta.dirname, 'fixtures', scene, file)
    return existsSync(path) ? readFileSync(path, 'utf8') : null
  }
  return {
    routers: Object.fromEntries(
      FABRIC_ROUTERS.map((router) => [
        router,
        { summary: read(`${router}-summary.json`), routes: read(`${router}-routes.json`) },
      ]),
    ),
    nodes: read('nodes.json'),
    services: read('services.json'),
  }
}

const sessions = (snapshot: TopologySnapshot) => snapshot.sessions.map((s) => `${s.router} - ${s.peer}: ${s.state}`)
const routesOf = (snapshot: TopologySnapshot, router: string) =>
  snapshot.routes
    .filter((r) => r.router === router)
    .map((r) => `${r.prefix} (${r.kind} ${r.of}) -> ${r.nextHops.map((h) => h.name ?? h.address).join(', ')}`)

describe('the topology of the seed lab, from FRR 8.4', () => {
  const seed = buildSnapshot(answersOf('seed'), null, 1)

  it('has the fabric with the ASNs the routers report, and the nodes with their racks and pod CIDRs', () => {
    expect(seed.routers).toEqual([
      { name: 'spine0', role: 'spine', asn: 500, reachable: true },
      { name: 'spine1', role: 'spine', asn: 800, reachable: true },
      { name: 'leaf0', role: 'leaf', asn: 65005, reachable: true },
      { name: 'leaf1', role: 'leaf', asn: 65008, reachable: true },
    ])
    expect(seed.nodes?.map((n) => `${n.name} ${n.rack} ${n.address} ${n.podCidr}`)).toEqual([
      'clab-bgp-control-plane rack0 10.1.5.10 10.98.0.0/24',
      'clab-bgp-worker rack0 10.1.5.11 10.98.3.0/24',
      'clab-bgp-worker2 rack1 10.1.8.10 10.98.2.0/24',
      'clab-bgp-worker3 rack1 10.1.8.11 10.98.1.0/24',
    ])
  })

  it('has every session once, named from the spine or leaf side, all Established', () => {
    expect(sessions(seed)).toEqual([
      'leaf0 - clab-bgp-control-plane: Established',
      'leaf0 - clab-bgp-worker: Established',
      'leaf1 - clab-bgp-worker2: Established',
      'leaf1 - clab-bgp-worker3: Established',
      'spine0 - leaf0: Established',
      'spine0 - leaf1: Established',
      'spine1 - leaf0: Established',
      'spine1 - leaf1: Established',
    ])
  })

  it('has the pod CIDR routes: the own rack via its node, the other rack over both spines (ECMP)', () => {
    expect(routesOf(seed, 'leaf0')).toEqual([
      '10.98.0.0/24 (pod-cidr clab-bgp-control-plane) -> clab-bgp-control-plane',
      '10.98.1.0/24 (pod-cidr clab-bgp-worker3) -> spine0, spine1',
      '10.98.2.0/24 (pod-cidr clab-bgp-worker2) -> spine0, spine1',
      '10.98.3.0/24 (pod-cidr clab-bgp-worker) -> clab-bgp-worker',
    ])
    expect(routesOf(seed, 'spine1')).toEqual([
      '10.98.0.0/24 (pod-cidr clab-bgp-control-plane) -> leaf0',
      '10.98.1.0/24 (pod-cidr clab-bgp-worker3) -> leaf1',
      '10.98.2.0/24 (pod-cidr clab-bgp-worker2) -> leaf1',
      '10.98.3.0/24 (pod-cidr clab-bgp-worker) -> leaf0',
    ])
    // The fabric's own networks (10.1.5.0/24, 10.1.8.0/24) are not what a chapter is about.
    expect(seed.routes.some((r) => r.prefix.startsWith('10.1.'))).toBe(false)
  })
})

describe('a stopped router', () => {
  const seed = buildSnapshot(answersOf('seed'), null, 1)
  const stopped = buildSnapshot(answersOf('leaf1-stopped'), seed, 2)

  it('answers nothing: its peers say what they see, and what only it knew is unknown', () => {
    expect(stopped.routers.find((r) => r.name === 'leaf1')).toEqual({
      name: 'leaf1',
      role: 'leaf',
      asn: 65008,
      reachable: false,
    })
    expect(sessions(stopped)).toEqual([
      'leaf0 - clab-bgp-control-plane: Established',
      'leaf0 - clab-bgp-worker: Established',
      'leaf1 - clab-bgp-worker2: unknown',
      'leaf1 - clab-bgp-worker3: unknown',
      'spine0 - leaf0: Established',
      'spine0 - leaf1: Active',
      'spine1 - leaf0: Established',
      'spine1 - leaf1: Active',
    ])
  })

  it('takes the other rack off the routes', () => {
    expect(routesOf(stopped, 'leaf0')).toEqual([
      '10.98.0.0/24 (pod-cidr clab-bgp-control-plane) -> clab-bgp-control-plane',
      '10.98.3.0/24 (pod-cidr clab-bgp-worker) -> clab-bgp-worker',
    ])
    expect(stopped.routes.some((r) => r.router === 'leaf1')).toBe(false)
  })

  it('is not Established on a spine that has not noticed yet (both ends must say so)', () => {
    // The seed's answers without leaf1's: the moment after the stop, before the spines' sessions drop.
    const answers = answersOf('seed')
    answers.routers.leaf1 = { summary: null, routes: null }
    expect(sessions(buildSnapshot(answers, seed, 2)).filter((s) => s.includes('leaf1'))).toEqual([
      'leaf1 - clab-bgp-worker2: unknown',
      'leaf1 - clab-bgp-worker3: unknown',
      'spine0 - leaf1: unknown',
      'spine1 - leaf1: unknown',
    ])
  })

  it('is still named on a first read that finds it stopped, by the name FRR keeps for the dropped peer', () => {
    expect(sessions(buildSnapshot(answersOf('leaf1-stopped'), null, 2))).toContain('spine0 - leaf1: Active')
  })
})

it("names the service /32 after its service, ECMP over the rack's nodes on a leaf", () => {
  const metallb = buildSnapshot(answersOf('metallb'), null, 1)
  expect(routesOf(metallb, 'leaf0')).toContain(
    '172.18.0.200/32 (service default/cni) -> clab-bgp-control-plane, clab-bgp-worker',
  )
  expect(routesOf(metallb, 'leaf1')).toContain(
    '172.18.0.200/32 (service default/cni) -> clab-bgp-worker2, clab-bgp-worker3',
  )
  expect(routesOf(metallb, 'spine0')).toContain('172.18.0.200/32 (service default/cni) -> leaf0')
})

it('shows a lab not built yet, or taken down, as routers that do not answer and no cluster, not as an error', () => {
  const nothing: ProbeAnswers = {
    routers: Object.fromEntries(FABRIC_ROUTERS.map((r) => [r, { summary: null, routes: null }])),
    nodes: null,
    services: null,
  }
  const none = buildSnapshot(nothing, null, 1)
  // Taken down (clab destroy): no router left to hold a session, so none is remembered as unknown.
  expect(buildSnapshot(nothing, buildSnapshot(answersOf('seed'), null, 0), 1)).toEqual(none)
  expect(none).toEqual({
    routers: FABRIC_ROUTERS.map((name) => ({
      name,
      role: name.startsWith('spine') ? 'spine' : 'leaf',
      asn: null,
      reachable: false,
    })),
    nodes: null,
    sessions: [],
    routes: [],
    at: 1,
  })
})

it('reads a router that prints something other than JSON as not answering', () => {
  const answers = answersOf('seed')
  answers.routers.leaf0 = { summary: '% Unknown command: show bgp summary json', routes: 'vtysh: error' }
  const snapshot = buildSnapshot(answers, null, 1)
  expect(snapshot.routers.find((r) => r.name === 'leaf0')?.reachable).toBe(false)
  expect(snapshot.routes.some((r) => r.router === 'leaf0')).toBe(false)
})
