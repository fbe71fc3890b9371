import type { Cluster, Controller } from '../cluster.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { nodeBgp } from './bgp-policy.ts'
import { GobgpSpeaker } from './gobgp-speaker.ts'
import { internalIp } from './scheduling.ts'

/**
 * Runs the BGP control plane's decisions. Every node with a Cilium agent (and the control plane enabled) has a gobgpd
 * from the agent's start, as the agent has its embedded GoBGP: a policy then only creates BGP servers inside it
 * through the API (tens of milliseconds) instead of starting processes. A node's first virtual router lives in that
 * gobgpd; further ones (a policy with several virtualRouters) get one more gobgpd each.
 */
export class BgpControlPlane implements Controller {
  readonly name = 'bgp-control-plane'
  /** Node -> its speakers, index = virtual router of the selecting policy. */
  private readonly speakers = new Map<string, GobgpSpeaker[]>()
  private readonly lastError = new Map<string, string>()
  /** Node -> the agent pod its speakers belong to: a new agent pod (the old one deleted) restarts them. */
  private readonly owners = new Map<string, string>()

  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const enabled = store.cluster && ciliumConfig(store)?.bgpControlPlane
    const policies = enabled ? store.list('CiliumBGPPeeringPolicy') : []
    const services = store.list('Service')
    const wanted = new Map<string, { agent: string; routers: ReturnType<typeof nodeBgp>['routers'] }>()
    for (const node of enabled ? store.list('Node') : []) {
      const name = node.metadata.name
      const agent = agentPod(store, name)?.metadata.name
      if (!agent) continue
      const desired = nodeBgp(node, internalIp(node), policies, services)
      if (desired.error !== this.lastError.get(name)) {
        if (desired.error) cluster.log(agent, `level=error msg="Policy selection failed" error="${desired.error}" subsys=bgp-control-plane`)
        this.lastError.set(name, desired.error ?? '')
      }
      wanted.set(name, { agent, routers: desired.routers })
    }
    // A node without its agent, or whose agent pod was replaced, loses its speakers as the agent's embedded GoBGP
    // dies with the agent: the leaf sees the sessions drop, and the new agent's speakers bring them back.
    for (const [node, speakers] of this.speakers) {
      if (wanted.get(node)?.agent === this.owners.get(node)) continue
      this.speakers.delete(node)
      this.owners.delete(node)
      for (const speaker of speakers) await speaker.stop()
    }
    // Nodes are independent: their speakers change or start (each waits for its API) in parallel.
    const results = await Promise.allSettled(
      [...wanted].map(async ([node, { agent, routers }]) => {
        const speakers = this.speakers.get(node) ?? []
        this.speakers.set(node, speakers)
        this.owners.set(node, agent)
        // The agent's own gobgpd stays even with no virtual router; one more per further virtual router.
        const slots = Math.max(1, routers.length)
        while (speakers.length > slots) await speakers.pop()!.stop()
        for (let i = 0; i < slots; i++) {
          if (!speakers[i]) {
            const started = new GobgpSpeaker(cluster.lab, node, i)
            await started.start().catch(async error => {
              await started.stop()
              throw error
            })
            speakers[i] = started
          }
          const router = routers[i]
          const created = await speakers[i].configure(router && { asn: router.asn, routerId: router.routerId, neighbors: router.neighbors, listen: i === 0 }, router?.prefixes)
          if (created) {
            cluster.log(agent, `msg="Registering BGP servers for policy with local ASN ${router.asn}" routerID=${router.routerId} subsys=bgp-control-plane`)
          }
        }
      }),
    )
    const failed = results.find(r => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }

  async stop(): Promise<void> {
    for (const speakers of this.speakers.values()) for (const speaker of speakers) await speaker.stop()
    this.speakers.clear()
    this.owners.clear()
  }
}
