import { appendFile } from 'node:fs/promises'
import type { Server } from 'node:net'
import { join } from 'node:path'
import { serveAgentCli } from '../../cilium/agent-cli.ts'
import type { Cluster, Controller } from '../cluster.ts'
import { ciliumCrds } from '../crds.ts'
import { ipBatch } from '../ip-batch.ts'
import { cidrText, parseCidr, subnet, toIp } from '../ipv4.ts'
import { nodeStopped } from '../node-power.ts'
import type { KObject } from '../store.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { internalIp } from './scheduling.ts'

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
  /** Node name -> the CIDR its pods get addresses from, once its cilium_host is set up for it. */
  private readonly hosts = new Map<string, string>()
  /** The socket behind the agent pods' `cilium` CLI, from the first reconcile with Cilium installed. */
  private cli: Server | null = null

  /** The CIDR a ready node's pods get addresses from. */
  podCidr(node: string): string | undefined {
    return this.hosts.get(node)
  }

  /** The router IP of a node whose datapath is ready, for pods to use as their gateway. */
  gateway(node: string): string | undefined {
    const cidr = this.hosts.get(node)
    return cidr ? routerIp(cidr) : undefined
  }

  /** The CiliumNode the agent registers: its addresses and the CIDR it allocates pod addresses from. */
  private ciliumNode(cluster: Cluster, node: KObject, cidr: string): void {
    const name = node.metadata.name
    const ip = internalIp(node)
    const object: KObject = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNode',
      metadata: { name, labels: node.metadata.labels },
      spec: {
        addresses: [...(ip ? [{ type: 'InternalIP', ip }] : []), { type: 'CiliumInternalIP', ip: routerIp(cidr) }],
        ipam: { podCIDRs: [cidr] },
      },
    }
    if (!cluster.store.get('CiliumNode', undefined, name)) cluster.store.create(object)
    else cluster.store.patch('CiliumNode', undefined, name, (o) => void (o.spec = object.spec))
  }

  async stop(): Promise<void> {
    this.cli?.close()
    this.cli = null
  }

  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const config = ciliumConfig(store)
    if (!store.cluster) this.hosts.clear()
    if (!store.cluster || !config) return
    this.cli ??= await serveAgentCli(
      cluster.lab,
      (line) => void appendFile(join(cluster.lab.runDir, 'cluster.log'), `${line}\n`).catch(() => {}),
    )
    for (const crd of ciliumCrds(config.bgpControlPlane, config.version)) {
      const existing = store.get('CustomResourceDefinition', undefined, crd.metadata.name)
      // An upgraded Cilium updates its CRDs (new served versions) as the real operator does.
      if (!existing) store.create(crd)
      else if (JSON.stringify(existing.spec) !== JSON.stringify(crd.spec))
        store.patch('CustomResourceDefinition', undefined, crd.metadata.name, (o) => void (o.spec = crd.spec))
    }
    for (const [i, node] of store.list('Node').entries()) {
      const name = node.metadata.name
      const agent = agentPod(store, name)
      // ipam.mode=kubernetes uses the podCIDR kube-controller-manager gave the node; cluster-pool (the chart's default)
      // takes the operator's i-th block of its own pool, which BGP's exportPodCIDR (spec.podCIDR) does not announce.
      const cidr =
        config.ipam === 'kubernetes'
          ? node.spec.podCIDR
          : cidrText(subnet(parseCidr(config.clusterPool.cidr), config.clusterPool.maskSize, i))
      if (!agent || !cidr) continue
      // A stopped node's agent is gone with its datapath (docker start sets it up again), so its pods lose their gateway
      // and stop (pod-network.ts); its kubelet reports nothing.
      if (nodeStopped(cluster.lab, name)) {
        this.hosts.delete(name)
        continue
      }
      if (this.hosts.get(name) !== cidr) {
        const gw = routerIp(cidr)
        const ns = cluster.lab.ns(name)
        // A restarted daemon finds cilium_host already there: "File exists" is fine, the rest is idempotent.
        await cluster.lab.run([
          'ip',
          '-n',
          ns,
          'link',
          'add',
          'cilium_host',
          'type',
          'veth',
          'peer',
          'name',
          'cilium_net',
        ])
        await ipBatch(cluster.lab, ns, [
          'link set cilium_net up',
          'link set cilium_host up',
          `addr replace ${gw}/32 dev cilium_host scope link`,
          `route replace ${gw}/32 dev cilium_host scope link`,
          `route replace ${cidr} via ${gw} dev cilium_host src ${gw}`,
        ])
        this.hosts.set(name, cidr)
        // The agent's own addressing lines at start (daemon/cmd/daemon.go, 1.13), with the node's values.
        const nativeCidr = cluster.store.get('ConfigMap', 'kube-system', 'cilium-config')?.data?.[
          'ipv4-native-routing-cidr'
        ]
        for (const line of [
          `External-Node IPv4: ${internalIp(node) ?? '<nil>'}`,
          `Internal-Node IPv4: ${gw}`,
          `IPv4 allocation prefix: ${cidr}`,
          ...(nativeCidr ? [`IPv4 native routing prefix: ${nativeCidr}`] : []),
        ])
          cluster.log(agent.metadata.name, `msg="  ${line}" subsys=daemon`)
        // The lab's datapath is native routing only; say so where a learner looking at the agent would look.
        if (config.tunnel !== 'disabled')
          cluster.log(
            agent.metadata.name,
            `level=warning msg="tunnel=${config.tunnel} is emulated as native routing: pods on other nodes are reached through the routes BGP installs" subsys=daemon`,
          )
      }
      this.ciliumNode(cluster, node, cidr)
      store.patch('Node', undefined, name, (o) => {
        o.status.conditions = [ready]
        o.spec.taints = (o.spec.taints ?? []).filter((t: { key: string }) => t.key !== 'node.kubernetes.io/not-ready')
        if (o.spec.taints.length === 0) delete o.spec.taints
      })
    }
  }
}
