import type { TwinContext } from '../context.ts'
import { attachContainer, bridgeOf, type DockerNetwork, ensureNetwork } from '../net/docker-network.ts'

/** The docker network "kind" every kind node joins on eth0: 172.18.0.0/16, gateway 172.18.0.1 on the lab host. */
export const KIND_NETWORK: DockerNetwork = {
  name: 'kind',
  gateway: '172.18.0.1',
  prefix: 16,
  ipv6: { prefix: 'fc00:f853:ccd:e793::', bits: 64 },
}

/** `172.18.0.<2+i>`, the address docker hands the i-th container on the network. */
export const nodeAddress = (i: number) => `172.18.0.${2 + i}`

/** Like kind, the first cluster creates the network and it stays when clusters are deleted. */
export async function createKindNetwork(lab: TwinContext): Promise<void> {
  await ensureNetwork(lab, KIND_NETWORK)
}

/** Plugs node `i` (namespace `nodeNs`) into the network: eth0 with its address and the default route docker gives. */
export function attachNode(lab: TwinContext, nodeNs: string, i: number): Promise<void> {
  return attachContainer(lab, KIND_NETWORK, nodeNs, nodeAddress(i))
}

/**
 * MetalLB's layer 2 announcement from node namespace `nodeNs`: the node answers ARP for `ip` on eth0 and accepts what
 * is sent to it, and the address appears on no interface (`ip addr` on the node shows what it showed before), as
 * with MetalLB's speaker. The twin gets this from the kernel rather than a responder per node: a `local` route (in
 * table local, beside the node's own addresses) makes `ip` one of the node's addresses for routing, so eth0 answers
 * ARP for it (arp_ignore 0), and kube-proxy's DNAT sends the service's ports on to the pods.
 *
 * Then, as the speaker's gratuitous ARP does, every neighbour on the network that still maps `ip` to another MAC (the
 * previous leader's) learns the new one; those without an entry learn it when they next ask.
 */
export async function announceL2(lab: TwinContext, nodeNs: string, ip: string): Promise<void> {
  const added = await lab.run(['ip', '-n', nodeNs, 'route', 'replace', 'local', `${ip}/32`, 'dev', 'eth0'])
  if (added.exitCode !== 0)
    throw new Error(`ip -n ${nodeNs} route replace local ${ip}/32 dev eth0: ${added.stderr.trim()}`)
  const link = await lab.run(['ip', '-n', nodeNs, '-j', 'link', 'show', 'dev', 'eth0'])
  const mac = (JSON.parse(link.stdout || '[]') as Array<{ address?: string }>)[0]?.address
  if (!mac) return
  const neighbours = [
    [lab.ns('host'), bridgeOf(KIND_NETWORK)],
    ...kindNodeNamespaces(lab)
      .filter((ns) => ns !== nodeNs)
      .map((ns) => [ns, 'eth0']),
  ]
  await Promise.all(
    neighbours.map(([ns, dev]) =>
      lab.run(['ip', '-n', ns, 'neigh', 'change', ip, 'lladdr', mac, 'dev', dev, 'nud', 'stale']),
    ),
  )
}

/** Stops answering for `ip` on the node (the speaker lost the election, or the service its address). */
export async function withdrawL2(lab: TwinContext, nodeNs: string, ip: string): Promise<void> {
  await lab.run(['ip', '-n', nodeNs, 'route', 'del', 'local', `${ip}/32`, 'dev', 'eth0', 'table', 'local'])
}

const kindNodeNamespaces = (lab: TwinContext) =>
  [...lab.containers.values()].filter((info) => info.kind === 'kind-node').map((info) => info.ns)
