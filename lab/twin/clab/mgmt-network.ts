import { toInt, toIp } from '../cluster/ipv4.ts'
import type { TwinContext } from '../context.ts'
import { attachContainer, type DockerNetwork, ensureNetwork, removeNetwork } from '../net/docker-network.ts'
import { clabError } from './topology.ts'

/**
 * containerlab's default management network "clab": every node with a namespace of its own (the routers) gets eth0
 * on it, 172.20.20.x/24 with `default via 172.20.20.1 dev eth0`, as the seed's `ip route` and `show ip route` show.
 * Nodes sharing a kind node's namespace get none (N/A in the node table).
 */
export const CLAB_NETWORK: DockerNetwork = {
  name: 'clab',
  gateway: '172.20.20.1',
  prefix: 24,
  ipv6: { prefix: '2001:172:20:20::', bits: 64 },
}

/** containerlab 0.54's line when it makes the network (not when it reuses one). */
const CREATED =
  'Creating docker network: Name="clab", IPv4Subnet="172.20.20.0/24", IPv6Subnet="2001:172:20:20::/64", MTU=1500'

/** Makes the network unless a deployed lab already has it. */
export async function ensureMgmtNetwork(lab: TwinContext, log: (message: string) => void): Promise<void> {
  if (await ensureNetwork(lab, CLAB_NETWORK)) log(CREATED)
}

/** Like containerlab's destroy: the network goes with the last lab on it. */
export const removeMgmtNetwork = (lab: TwinContext) => removeNetwork(lab, CLAB_NETWORK)

/** The lowest address from .2 up that no container holds, as docker's IPAM hands them out. */
export function freeMgmtAddress(used: Set<string>): string {
  const gateway = toInt(CLAB_NETWORK.gateway)
  for (let host = gateway + 1; host < gateway + 254; host++) if (!used.has(toIp(host))) return toIp(host)
  throw clabError(
    `Error response from daemon: no available IPv4 addresses on this network's address pools: ${CLAB_NETWORK.name}`,
  )
}

export const attachToMgmt = (lab: TwinContext, ns: string, ip: string) => attachContainer(lab, CLAB_NETWORK, ns, ip)
