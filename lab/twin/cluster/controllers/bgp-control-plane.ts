import type { Cluster, Controller } from '../cluster.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { nodeBgp } from './bgp-policy.ts'
import { GobgpSpeaker, type RouterConfig } from './gobgp-speaker.ts'
import { internalIp } from './scheduling.ts'

/**
 * Runs the BGP control plane's decisions: per node and virtual router one GoBGP speaker, restarted when its ASN,
 * router id or neighbors change, stopped (sessions down, routes withdrawn) when no single policy selects the node.
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
    for (const node of enabled ? store.list('Node') : []) {
      const name = node.metadata.name
      const agent = agentPod(store, name)?.metadata.name
      if (!agent) continue
      const desired = nodeBgp(node, internalIp(node), policies, services)
      if (desired.error !== this.lastError.get(name)) {
        if (desired.error) cluster.log(agent, `level=error msg="Policy selection failed" error="${desired.error}" subsys=bgp-control-plane`)
        this.lastError.set(name, desired.error ?? '')
      }
      desired.routers.forEach(({ prefixes, ...router }, i) => {
        wanted.set(`${name}/${router.asn}`, { node: name, agent, config: { ...router, listen: i === 0 }, prefixes })
      })
    }
    // Stop first: a node moving to another ASN frees port 179 before its new speaker binds it.
    for (const [key, speaker] of this.speakers) {
      const want = wanted.get(key)
      if (want && speaker.matches(want.config)) continue
      this.speakers.delete(key)
      await speaker.stop()
    }
    // Nodes are independent: their speakers start (each waits for its API) in parallel.
    const results = await Promise.allSettled(
      [...wanted].map(async ([key, want]) => {
        let speaker = this.speakers.get(key)
        if (!speaker) {
          const started = new GobgpSpeaker(cluster.lab, want.node, want.config)
          await started.start().catch(async error => {
            await started.stop()
            throw error
          })
          this.speakers.set(key, (speaker = started))
          cluster.log(want.agent, `msg="Registering BGP servers for policy with local ASN ${want.config.asn}" routerID=${want.config.routerId} subsys=bgp-control-plane`)
        }
        await speaker.advertise(want.prefixes)
      }),
    )
    const failed = results.find(r => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }

  async stop(): Promise<void> {
    for (const speaker of this.speakers.values()) await speaker.stop()
    this.speakers.clear()
  }
}
