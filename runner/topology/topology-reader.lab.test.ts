/**
 * The topology reader on the seed lab (twin): what it reports is what FRR and the cluster hold, and a router stopped
 * with `docker stop` shows in the next read.
 */
import { expect, it } from 'vitest'
import type { TopologySnapshot } from '../../protocol/messages.ts'
import { until, useSeedLab } from '../../support/lab-helpers.ts'
import { TopologyReader } from './topology-reader.ts'

const { lab, sh } = useSeedLab()
const touches = (snapshot: TopologySnapshot, router: string) =>
  snapshot.sessions.filter((s) => s.router === router || s.peer === router)
const nextHops = (snapshot: TopologySnapshot, router: string, prefix: string) =>
  snapshot.routes
    .find((r) => r.router === router && r.prefix === prefix)
    ?.nextHops.map((h) => h.name)
    .sort()

it('reports every session Established and the pod CIDRs of the other rack over both spines, then a stopped leaf in the next read', async () => {
  const reader = new TopologyReader(lab())
  // The seed's last command returns before the nodes' speakers are up and the second spine's path has arrived.
  const converged = await until(
    'all sessions Established and ECMP to the other rack',
    async () => {
      const snapshot = await reader.read()
      const ready = snapshot.sessions.length === 8 && snapshot.sessions.every((s) => s.state === 'Established')
      return (
        ready &&
        nextHops(snapshot, 'leaf0', '10.98.2.0/24')?.length === 2 &&
        nextHops(snapshot, 'leaf1', '10.98.0.0/24')?.length === 2 &&
        snapshot
      )
    },
    { timeoutMs: 60_000 },
  )
  expect(converged.routers.every((r) => r.reachable)).toBe(true)
  const podCidrs = Object.fromEntries(converged.nodes!.map((n) => [n.name, n.podCidr]))
  expect(nextHops(converged, 'leaf0', podCidrs['clab-bgp-worker2']!)).toEqual(['spine0', 'spine1'])
  expect(nextHops(converged, 'leaf0', podCidrs['clab-bgp-control-plane']!)).toEqual(['clab-bgp-control-plane'])
  expect(nextHops(converged, 'leaf1', podCidrs['clab-bgp-worker']!)).toEqual(['spine0', 'spine1'])
  const started = performance.now()
  await reader.read()
  console.log(`one topology read of the converged lab: ${(performance.now() - started).toFixed(0)} ms`)

  await sh('docker stop clab-bgp-leaf1')
  const stopped = await reader.read()
  expect(stopped.routers.find((r) => r.name === 'leaf1')?.reachable).toBe(false)
  expect(
    touches(stopped, 'leaf1')
      .map((s) => `${s.router} - ${s.peer}`)
      .sort(),
  ).toEqual(['leaf1 - clab-bgp-worker2', 'leaf1 - clab-bgp-worker3', 'spine0 - leaf1', 'spine1 - leaf1'])
  expect(touches(stopped, 'leaf1').filter((s) => s.state === 'Established')).toEqual([])
  expect(touches(stopped, 'leaf0').every((s) => s.state === 'Established')).toBe(true)
  expect(stopped.routes.some((r) => r.router === 'leaf1')).toBe(false)
})
