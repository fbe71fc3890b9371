import type { Cluster, Controller } from '../cluster.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { nodeBgp } from './bgp-policy.ts'
import { GobgpSpeaker } from './gobgp-speaker.ts'
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
    const keep = new Set<string>()
    for (const node of enabled ? store.list('Node') : []) {
      const name = node.metadata.name
      const agent = agentPod(store, name)
      if (!agent) continue
      const desired = nodeBgp(node, internalIp(node), policies, services)
      if (desired.error !== this.lastError.get(name)) {
        if (desired.error) cluster.log(agent.metadata.name, `level=error msg="Policy selection failed" error="${desired.error}" subsys=bgp-control-plane`)
        this.lastError.set(name, desired.error ?? '')
      }
      for (const [i, router] of desired.routers.entries()) {
        const key = `${name}/${router.asn}`
        keep.add(key)
        const config = { asn: router.asn, routerId: router.routerId, neighbors: router.neighbors, listen: i === 0 }
        let speaker = this.speakers.get(key)
        if (speaker && !speaker.matches(config)) {
          await speaker.stop()
          speaker = undefined
        }
        if (!speaker) {
          speaker = new GobgpSpeaker(cluster.lab, name, config)
          this.speakers.delete(key)
          await speaker.start().catch(async error => {
            await speaker!.stop()
            throw error
          })
          this.speakers.set(key, speaker)
          cluster.log(agent.metadata.name, `msg="Registering BGP servers for policy with local ASN ${router.asn}" routerID=${router.routerId} subsys=bgp-control-plane`)
        }
        await speaker.advertise(router.prefixes)
      }
    }
    for (const [key, speaker] of this.speakers) {
      if (keep.has(key)) continue
      this.speakers.delete(key)
      await speaker.stop()
    }
  }

  async stop(): Promise<void> {
    for (const speaker of this.speakers.values()) await speaker.stop()
    this.speakers.clear()
  }
}
