import type { Cluster, Controller } from '../cluster.ts'

/** IPv4 addresses present in a namespace right now. */
export async function addressesIn(cluster: Cluster, ns: string): Promise<string[]> {
  const result = await cluster.lab.run(['ip', '-n', ns, '-4', '-o', 'addr', 'show'])
  return [...result.stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map(m => m[1])
}

/**
 * The kubelet's address report: the configured node-ip once it exists on one of the node's interfaces (clab adds it
 * to net0), nothing before (the kubelet refuses a node-ip it does not hold, so the seed shows `<none>`). Without a
 * configured node-ip the kubelet reports eth0's address on the kind network.
 */
export class NodesController implements Controller {
  readonly name = 'nodes'
  /** The lab generation last probed: store changes alone cannot move an address, tools can. */
  private probed = -1

  async reconcile(cluster: Cluster): Promise<void> {
    const record = cluster.store.cluster
    if (!record || cluster.labGeneration === this.probed) return
    this.probed = cluster.labGeneration
    await Promise.all(
      record.nodes.map(async node => {
        const present = await addressesIn(cluster, cluster.lab.ns(node.name))
        const ip = node.nodeIP ? (present.includes(node.nodeIP) ? node.nodeIP : undefined) : present.find(a => a.startsWith('172.18.'))
        cluster.store.patch('Node', undefined, node.name, o => {
          o.status.addresses = [...(ip ? [{ type: 'InternalIP', address: ip }] : []), { type: 'Hostname', address: node.name }]
        })
      }),
    )
  }
}
