import { createHash, randomBytes } from 'node:crypto'
import { ipBatch } from '../cluster/ip-batch.ts'
import { toInt } from '../cluster/ipv4.ts'
import type { TwinContext } from '../context.ts'

/**
 * A docker bridge network as the lab host (the real lab's "kind" machine, its docker host) has it: a Linux bridge in
 * the lab host namespace holding the gateway address, and each container's eth0 a veth whose other end is a port of
 * that bridge. Nothing links the lab host namespace to the machine's own, and it does not forward (it was made with
 * ip_forward=0), so a packet from a container reaches the lab host and the containers of the same network and goes no
 * further: what docker's isolation chains give between its networks, with no NAT to the outside.
 */
export interface DockerNetwork {
  /** docker's network name: "kind", "clab". */
  name: string
  gateway: string
  prefix: number
  /** The IPv6 side docker gives both seed networks (`inet6 fc00:f853:ccd:e793::3/64` on a kind node). */
  ipv6: { prefix: string; bits: number }
}

/** docker names a network's bridge `br-` + the first 12 hex digits of the network id; the twin derives the id from the name. */
export const bridgeOf = (network: DockerNetwork) =>
  `br-${createHash('sha256').update(network.name).digest('hex').slice(0, 12)}`

/** docker's MAC for a container address: 02:42 then the four octets (172.18.0.3 -> 02:42:ac:12:00:03). */
export function macOf(ip: string): string {
  const n = toInt(ip)
  return ['02', '42', ...[24, 16, 8, 0].map((shift) => ((n >>> shift) & 255).toString(16).padStart(2, '0'))].join(':')
}

/** The IPv6 address docker pairs with an IPv4 one: same host number (172.20.20.5 -> 2001:172:20:20::5). */
export const ipv6Of = (network: DockerNetwork, ip: string) =>
  `${network.ipv6.prefix}${(toInt(ip) & (2 ** (32 - network.prefix) - 1)).toString(16)}`

/**
 * A host-side veth name like docker's: `veth` + 7 random hex digits. Random, not derived from the container: the port
 * of a container just removed lives on until the kernel has finished with its namespace, and a container made again
 * at once (clab deploy --reconfigure) would collide with it.
 */
const newPort = () => `veth${randomBytes(4).toString('hex').slice(0, 7)}`

/** IPv6 is best effort: a machine booted with IPv6 disabled still gets the IPv4 network the lab needs. */
async function tryIpBatch(lab: TwinContext, ns: string, lines: string[]): Promise<void> {
  await lab.run(['ip', '-n', ns, '-force', '-batch', '-'], { input: `${lines.join('\n')}\n` })
}

export async function networkExists(lab: TwinContext, network: DockerNetwork): Promise<boolean> {
  return (await lab.run(['ip', '-n', lab.ns('host'), 'link', 'show', 'dev', bridgeOf(network)])).exitCode === 0
}

/** Creates the network's bridge with the gateway addresses unless it exists; true when it was created. */
export async function ensureNetwork(lab: TwinContext, network: DockerNetwork): Promise<boolean> {
  if (await networkExists(lab, network)) return false
  const host = lab.ns('host')
  const bridge = bridgeOf(network)
  await ipBatch(lab, host, [
    `link add ${bridge} type bridge`,
    `addr add ${network.gateway}/${network.prefix} dev ${bridge}`,
    `link set ${bridge} up`,
  ])
  await tryIpBatch(lab, host, [`addr add ${network.ipv6.prefix}1/${network.ipv6.bits} dev ${bridge} nodad`])
  return true
}

/** Deletes the network's bridge (its ports went with their containers' namespaces). */
export async function removeNetwork(lab: TwinContext, network: DockerNetwork): Promise<void> {
  await lab.run(['ip', '-n', lab.ns('host'), 'link', 'del', bridgeOf(network)])
}

/**
 * Plugs a container's namespace into the network: eth0 with docker's MAC and addresses and the default routes via
 * the gateway, as docker leaves a container it starts on a user-defined bridge network.
 */
export async function attachContainer(
  lab: TwinContext,
  network: DockerNetwork,
  containerNs: string,
  ip: string,
): Promise<void> {
  const port = newPort()
  await ipBatch(lab, lab.ns('host'), [
    `link add ${port} type veth peer name eth0 netns ${containerNs}`,
    `link set ${port} master ${bridgeOf(network)}`,
    `link set ${port} up`,
  ])
  await ipBatch(lab, containerNs, [
    `link set eth0 address ${macOf(ip)}`,
    `addr add ${ip}/${network.prefix} dev eth0`,
    'link set eth0 up',
    `route add default via ${network.gateway}`,
  ])
  await tryIpBatch(lab, containerNs, [
    `addr add ${ipv6Of(network, ip)}/${network.ipv6.bits} dev eth0 nodad`,
    `route add default via ${network.ipv6.prefix}1 dev eth0`,
  ])
}
