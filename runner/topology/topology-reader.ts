/**
 * Reads the lab's topology through the LabBackend, with the commands the course's checks run (`docker exec
 * clab-bgp-<router> vtysh -c '...'`, `kubectl get ... -o json`), so it reads the real lab and the twin alike. A probe
 * that fails or times out makes what it would have said `unknown`; reading never throws.
 */

import type { LabBackend } from '../../lab/backend.ts'
import type { TopologySnapshot } from '../../protocol/messages.ts'
import { buildSnapshot, type ProbeAnswers } from './build-snapshot.ts'

/** The course's fabric: the routers its topology file deploys (containerlab names them `clab-bgp-<router>`). */
export const FABRIC_ROUTERS = ['spine0', 'spine1', 'leaf0', 'leaf1']

/** A probe answering later than this counts as failed: a stopped router must not hold the diagram up. */
const PROBE_TIMEOUT_MS = 5_000

export function routerProbes(router: string): { summary: string; routes: string } {
  return {
    summary: `docker exec clab-bgp-${router} vtysh -c 'show bgp summary json'`,
    routes: `docker exec clab-bgp-${router} vtysh -c 'show ip route bgp json'`,
  }
}

export const CLUSTER_PROBES = { nodes: 'kubectl get nodes -o json', services: 'kubectl get services -A -o json' }

export class TopologyReader {
  /** The last snapshot: what a router that stops answering was known to hold. */
  private previous: TopologySnapshot | null = null

  constructor(private readonly lab: LabBackend) {}

  /** All probes at once (one round trip of the slowest instead of the sum of ten), then the snapshot. */
  async read(): Promise<TopologySnapshot> {
    const routers = Promise.all(
      FABRIC_ROUTERS.map(async (router) => {
        const probes = routerProbes(router)
        const [summary, routes] = await Promise.all([this.probe(probes.summary), this.probe(probes.routes)])
        return [router, { summary, routes }] as const
      }),
    )
    const [answered, nodes, services] = await Promise.all([
      routers,
      this.probe(CLUSTER_PROBES.nodes),
      this.probe(CLUSTER_PROBES.services),
    ])
    const answers: ProbeAnswers = { routers: Object.fromEntries(answered), nodes, services }
    this.previous = buildSnapshot(answers, this.previous)
    return this.previous
  }

  /** The probe's stdout, or null when it failed: not up yet, exited non-zero, timed out. */
  private async probe(command: string): Promise<string | null> {
    try {
      const result = await this.lab.exec(command, { timeoutMs: PROBE_TIMEOUT_MS })
      return result.exitCode === 0 && !result.timedOut ? result.stdout : null
    } catch {
      return null
    }
  }
}
