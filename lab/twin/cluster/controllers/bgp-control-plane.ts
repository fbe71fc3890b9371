import { agentPeers } from '../../cilium/agent-state.ts'
import type { Cluster, Controller } from '../cluster.ts'
import { nodeStopped } from '../node-power.ts'
import { matches } from '../selector.ts'
import type { KObject } from '../store.ts'
import { allEstablished, nodeConfigStatus } from './bgp-node-status.ts'
import { type NodeBgp, nodeBgp } from './bgp-policy.ts'
import { type NodeBgpV2, nodeBgpV2 } from './bgp-v2.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { GobgpSpeaker } from './gobgp-speaker.ts'
import { internalIp } from './scheduling.ts'

/**
 * Runs the BGP control plane's decisions. Every node with a Cilium agent (and the control plane enabled) has a gobgpd
 * from the agent's start, as the agent has its embedded GoBGP: a policy then only creates BGP servers inside it
 * through the API (tens of milliseconds) instead of starting processes. A node's first virtual router lives in that
 * gobgpd; further ones (a policy with several virtualRouters) get one more gobgpd each.
 *
 * A node is driven by the v1 CiliumBGPPeeringPolicy that selects it, else by its v2 CiliumBGPNodeConfig: never both,
 * as in Cilium 1.18 where a matching peering policy takes precedence over the cluster configs.
 */
export class BgpControlPlane implements Controller {
  readonly name = 'bgp-control-plane'
  /** Node -> its speakers, index = virtual router of the selecting policy. */
  private readonly speakers = new Map<string, GobgpSpeaker[]>()
  private readonly lastError = new Map<string, string>()
  /** Node -> the agent pod its speakers belong to: a new agent pod (the old one deleted) restarts them. */
  private readonly owners = new Map<string, string>()
  /** A pending look at v2 sessions that were not established yet. */
  private recheck: NodeJS.Timeout | null = null

  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const enabled = store.cluster && ciliumConfig(store)?.bgpControlPlane
    const policies = enabled ? store.list('CiliumBGPPeeringPolicy') : []
    const services = store.list('Service')
    const wanted = new Map<string, { agent: string; routers: NodeBgp['routers'] }>()
    const v2 = new Map<string, NodeBgpV2>()
    for (const node of enabled ? store.list('Node') : []) {
      const name = node.metadata.name
      const agent = agentPod(store, name)?.metadata.name
      // A stopped node's agent is not running: its speakers go as below, and its start brings new ones.
      if (!agent || nodeStopped(cluster.lab, name)) continue
      const v1 = policies.some((p) => p.spec?.nodeSelector && matches(p.spec.nodeSelector, node.metadata.labels ?? {}))
      const desired = v1
        ? nodeBgp(node, internalIp(node), policies, services)
        : this.v2Decision(cluster, node, services)
      if (!v1 && store.get('CiliumBGPNodeConfig', undefined, name)) v2.set(name, desired as NodeBgpV2)
      if (desired.error !== this.lastError.get(name)) {
        if (desired.error)
          cluster.log(
            agent,
            `level=error msg="Policy selection failed" error="${desired.error}" subsys=bgp-control-plane`,
          )
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
            await started.start().catch(async (error) => {
              await started.stop()
              throw error
            })
            speakers[i] = started
          }
          const router = routers[i]
          const created = await speakers[i].configure(
            router && { asn: router.asn, routerId: router.routerId, neighbors: router.neighbors, listen: i === 0 },
            router?.prefixes,
          )
          if (created) {
            cluster.log(
              agent,
              `msg="Registering BGP servers for policy with local ASN ${router.asn}" routerID=${router.routerId} subsys=bgp-control-plane`,
            )
          }
        }
      }),
    )
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
    await this.reportStatus(cluster, v2)
  }

  /** The v2 decision for a node from its CiliumBGPNodeConfig (none: no BGP server). */
  private v2Decision(cluster: Cluster, node: KObject, services: KObject[]): NodeBgpV2 {
    const { store } = cluster
    const name = node.metadata.name
    const podCidrs: string[] =
      store.get('CiliumNode', undefined, name)?.spec?.ipam?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])
    return nodeBgpV2(
      store.get('CiliumBGPNodeConfig', undefined, name),
      internalIp(node),
      podCidrs,
      store.list('CiliumBGPPeerConfig'),
      store.list('CiliumBGPAdvertisement'),
      services,
    )
  }

  /**
   * Writes each v2 node's peer states into its CiliumBGPNodeConfig status, as the agent's status reporter does.
   * Sessions come up after the speakers are configured, so while a peer is not established the controller looks
   * again a second later instead of leaving a stale state behind.
   */
  private async reportStatus(cluster: Cluster, v2: Map<string, NodeBgpV2>): Promise<void> {
    let pending = false
    for (const [node, decision] of v2) {
      const status = nodeConfigStatus(
        decision.instances,
        (await agentPeers(cluster, node).catch(() => null)) ?? [],
        Date.now(),
      )
      const previous = cluster.store.get('CiliumBGPNodeConfig', undefined, node)?.status
      // The established time is measured from GoBGP's uptime: keep the one written while the session stays up.
      for (const instance of status.bgpInstances) {
        for (const peer of instance.peers as { name: string; peeringState?: string; establishedTime?: string }[]) {
          const before = previous?.bgpInstances
            ?.find((i: { name: string }) => i.name === instance.name)
            ?.peers?.find((p: { name: string }) => p.name === peer.name)
          if (peer.peeringState === 'established' && before?.peeringState === 'established' && before.establishedTime)
            peer.establishedTime = before.establishedTime
        }
      }
      if (!allEstablished(status)) pending = true
      if (JSON.stringify(previous) !== JSON.stringify(status))
        cluster.store.patch('CiliumBGPNodeConfig', undefined, node, (o) => void (o.status = status))
    }
    if (pending && !this.recheck) {
      this.recheck = setTimeout(() => {
        this.recheck = null
        cluster.kick()
      }, 1000)
      this.recheck.unref()
    }
  }

  async stop(): Promise<void> {
    if (this.recheck) clearTimeout(this.recheck)
    this.recheck = null
    for (const speakers of this.speakers.values()) for (const speaker of speakers) await speaker.stop()
    this.speakers.clear()
    this.owners.clear()
  }
}
