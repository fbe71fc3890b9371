import type { Cluster, Controller } from '../cluster.ts'
import { ciliumCrds } from '../crds.ts'
import { ipBatch } from '../ip-batch.ts'
import { parseCidr, toIp } from '../ipv4.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { internalIp } from './scheduling.ts'
import type { KObject } from '../store.ts'

/** The router address Cilium puts on cilium_host: the first address of the node's podCIDR (10.98.0.0/24 -> 10.98.0.1). */
export const routerIp = (podCIDR: string) => toIp(parseCidr(podCIDR).base + 1)

const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }

/**
 * The Cilium agent and operator: registers Cilium's CRDs, and on each node whose agent pod runs sets up native
 * routing (cilium_host/cilium_net with the router IP and the podCIDR route, as `ip route` shows on a real node) and
 * marks the node Ready (the kubelet sees a CNI), which lifts the not-ready taint.
 */
export class CiliumAgent implements Controller {
  readonly name = 'cilium-agent'
  /** Node name -> podCIDR its cilium_host was set up for. */
  private readonly hosts = new Map<string, string>()

  /** The router IP of a node whose datapath is ready, for pods to use as their gateway. */
  gateway(node: string): string | undefined {
    const cidr = this.hosts.get(node)
    return cidr ? routerIp(cidr) : undefined
  }

  /** The CiliumNode the agent registers: its addresses and the podCIDR it allocates from (ipam.mode=kubernetes). */
  private ciliumNode(cluster: Cluster, node: KObject): void {
    const name = node.metadata.name
    const ip = internalIp(node)
    const object: KObject = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNode',
      metadata: { name, labels: node.metadata.labels },
      spec: {
        addresses: [...(ip ? [{ type: 'InternalIP', ip }] : []), { type: 'CiliumInternalIP', ip: routerIp(node.spec.podCIDR) }],
        ipam: { podCIDRs: [node.spec.podCIDR] },
      },
    }
    if (!cluster.store.get('CiliumNode', undefined, name)) cluster.store.create(object)
    else cluster.store.patch('CiliumNode', undefined, name, o => void (o.spec = object.spec))
  }

  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const config = ciliumConfig(store)
    if (!store.cluster) this.hosts.clear()
    if (!store.cluster || !config) return
    for (const crd of ciliumCrds(config.bgpControlPlane)) {
      if (!store.get('CustomResourceDefinition', undefined, crd.metadata.name)) store.create(crd)
    }
    for (const node of store.list('Node')) {
      const name = node.metadata.name
      const agent = agentPod(store, name)
      if (!agent || !node.spec.podCIDR) continue
      if (this.hosts.get(name) !== node.spec.podCIDR) {
        const gw = routerIp(node.spec.podCIDR)
        const ns = cluster.lab.ns(name)
        // A restarted daemon finds cilium_host already there: "File exists" is fine, the rest is idempotent.
        await cluster.lab.run(['ip', '-n', ns, 'link', 'add', 'cilium_host', 'type', 'veth', 'peer', 'name', 'cilium_net'])
        await ipBatch(cluster.lab, ns, [
          'link set cilium_net up',
          'link set cilium_host up',
          `addr replace ${gw}/32 dev cilium_host scope link`,
          `route replace ${gw}/32 dev cilium_host scope link`,
          `route replace ${node.spec.podCIDR} via ${gw} dev cilium_host src ${gw}`,
        ])
        this.hosts.set(name, node.spec.podCIDR)
        cluster.log(agent.metadata.name, `msg="Node routing ready" subsys=daemon podCIDR=${node.spec.podCIDR} routerIP=${gw} mode=native`)
        // The lab's datapath is native routing only; say so where a learner looking at the agent would look.
        if (config.tunnel !== 'disabled') cluster.log(agent.metadata.name, `level=warning msg="tunnel=${config.tunnel} is emulated as native routing: pods on other nodes are reached through the routes BGP installs" subsys=daemon`)
      }
      this.ciliumNode(cluster, node)
      store.patch('Node', undefined, name, o => {
        o.status.conditions = [ready]
        o.spec.taints = (o.spec.taints ?? []).filter((t: { key: string }) => t.key !== 'node.kubernetes.io/not-ready')
        if (o.spec.taints.length === 0) delete o.spec.taints
      })
    }
  }
}
