import type { Cluster, Controller } from '../cluster.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { nodeBgp } from './bgp-policy.ts'
import { GobgpSpeaker, type RouterConfig } from './gobgp-speaker.ts'
import { internalIp } from './scheduling.ts'

/**
 * Runs the BGP control plane's decisions: per node and virtual router one GoBGP speaker. Neighbor and path changes go
 * through the running speaker's API; a new ASN or router id restarts it. A node no policy selects keeps its first
 * speaker idle (no neighbors, no paths: sessions down, routes withdrawn) so that a re-applied policy only has to wait
 * for the leaf to reconnect, not for a gobgpd to start.
 */
export class BgpControlPlane implements Controller {
  readonly name = 'bgp-control-plane'
  private readonly speakers = new Map<string, GobgpSpeaker>()
  private readonly lastError = new Map<string, string>()

  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const enabled = store.cluster && ciliumConfig(store)?.bgpControlPlane
    const policies = enabled ? store.list('CiliumBGPPeeringPolicy') : []
    const services = store.list('Service')
    const wanted = new Map<string, { node: string; agent: string; config: RouterConfig; prefixes: string[] }>()
    /** Nodes with a Cilium agent but no virtual router: their speaker may stay, idle. */
    const unselected = new Set<string>()
    for (const node of enabled ? store.list('Node') : []) {
      const name = node.metadata.name
      const agent = agentPod(store, name)?.metadata.name
      if (!agent) continue
      const desired = nodeBgp(node, internalIp(node), policies, services)
      if (desired.error !== this.lastError.get(name)) {
        if (desired.error) cluster.log(agent, `level=error msg="Policy selection failed" error="${desired.error}" subsys=bgp-control-plane`)
        this.lastError.set(name, desired.error ?? '')
      }
      if (desired.routers.length === 0) unselected.add(name)
      desired.routers.forEach(({ prefixes, ...router }, i) => {
        wanted.set(`${name}/${router.asn}`, { node: name, agent, config: { ...router, listen: i === 0 }, prefixes })
      })
    }
    const registered = (want: { agent: string; config: RouterConfig }) =>
      cluster.log(want.agent, `msg="Registering BGP servers for policy with local ASN ${want.config.asn}" routerID=${want.config.routerId} subsys=bgp-control-plane`)
    // Stop first: a node moving to another ASN frees port 179 before its new speaker binds it.
    const idle: GobgpSpeaker[] = []
    for (const [key, speaker] of this.speakers) {
      const want = wanted.get(key)
      if (want && speaker.canReconfigure(want.config)) continue
      if (!want && unselected.has(speaker.node) && speaker.config.listen) {
        idle.push(speaker)
        continue
      }
      this.speakers.delete(key)
      await speaker.stop()
    }
    // Nodes are independent: their speakers change or start (each waits for its API) in parallel.
    const results = await Promise.allSettled([
      ...idle.map(async speaker => {
        await speaker.reconfigure({ ...speaker.config, neighbors: [] })
        await speaker.advertise([])
      }),
      ...[...wanted].map(async ([key, want]) => {
        const speaker = this.speakers.get(key)
        if (speaker) {
          const wasIdle = speaker.config.neighbors.length === 0
          // Paths before neighbors: a session coming up finds its routes ready for the first update.
          await speaker.advertise(want.prefixes)
          await speaker.reconfigure(want.config)
          if (wasIdle && want.config.neighbors.length > 0) registered(want)
          return
        }
        const started = new GobgpSpeaker(cluster.lab, want.node, want.config)
        await started.start().catch(async error => {
          await started.stop()
          throw error
        })
        this.speakers.set(key, started)
        registered(want)
        await started.advertise(want.prefixes)
      }),
    ])
    const failed = results.find(r => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }

  async stop(): Promise<void> {
    for (const speaker of this.speakers.values()) await speaker.stop()
    this.speakers.clear()
  }
}
