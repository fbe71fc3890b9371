import type { TwinContext } from '../context.ts'
import { ipBatch } from '../cluster/ip-batch.ts'

/** The docker network "kind" every kind node joins on eth0 (172.18.0.0/16), as a bridge in a namespace of its own. */
export const KIND_NETWORK = { gateway: '172.18.0.1', prefix: 16, bridge: 'kind' }

export const kindNetworkNs = (lab: TwinContext) => lab.ns('kind-network')

/** `172.18.0.<2+i>`, the address docker hands the i-th container on the network. */
export const nodeAddress = (i: number) => `172.18.0.${2 + i}`

/** Creates the network's namespace and bridge (the gateway address on it, no forwarding: nothing leaves). */
export async function createKindNetwork(lab: TwinContext): Promise<void> {
  const ns = kindNetworkNs(lab)
  await lab.addNamespace(ns)
  await ipBatch(lab, ns, [`link add ${KIND_NETWORK.bridge} type bridge`, `link set ${KIND_NETWORK.bridge} up`, `addr add ${KIND_NETWORK.gateway}/${KIND_NETWORK.prefix} dev ${KIND_NETWORK.bridge}`])
}

/** Plugs node `i` (namespace `nodeNs`) into the network: eth0 with its address and the default route docker gives. */
export async function attachNode(lab: TwinContext, nodeNs: string, i: number): Promise<void> {
  const ns = kindNetworkNs(lab)
  const port = `veth${i}`
  await ipBatch(lab, ns, [`link add ${port} type veth peer name eth0 netns ${nodeNs}`, `link set ${port} master ${KIND_NETWORK.bridge}`, `link set ${port} up`])
  await ipBatch(lab, nodeNs, [`addr add ${nodeAddress(i)}/${KIND_NETWORK.prefix} dev eth0`, 'link set eth0 up', `route add default via ${KIND_NETWORK.gateway}`])
}
