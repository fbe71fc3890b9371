import { createHash } from 'node:crypto'
import { CLAB_NETWORK } from '../clab/mgmt-network.ts'
import { cidrText, contains, parseCidr, toInt } from '../cluster/ipv4.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { KIND_NETWORK } from '../kind/kind-network.ts'
import { type DockerNetwork, networkExists } from '../net/docker-network.ts'
import { isRunning } from './container-state.ts'

/**
 * The docker networks of the lab as `docker network ls/inspect` and `docker inspect` show them: docker's own, and
 * `kind` and `clab` while their bridges exist on the lab host (net/docker-network.ts). A container's address, MAC
 * and network are read from its eth0, never assumed: what the lab has not made is absent, as on a host where it was
 * never created.
 */
export interface Attachment {
  network: string
  ipv4: string
  prefix: number
  ipv6: string
  ipv6Prefix: number
  mac: string
  gateway: string
}

export interface LabNetwork {
  name: string
  id: string
  driver: 'bridge' | 'host' | 'null'
  /** `172.18.0.0/16`; absent for host/none. */
  subnet?: string
  gateway?: string
  /** The running containers on it with their address, in name order. */
  members: Array<{ info: ContainerInfo; attachment: Attachment }>
  options: Record<string, string>
}

const LAB_NETWORKS: DockerNetwork[] = [KIND_NETWORK, CLAB_NETWORK]

/** docker's network id; its first 12 hex digits name the bridge, as net/docker-network.ts's bridgeOf does. */
const networkId = (name: string) => createHash('sha256').update(name).digest('hex')

const subnetOf = (network: DockerNetwork) => cidrText(parseCidr(`${network.gateway}/${network.prefix}`))

type IpAddr = Array<{
  address?: string
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope: string }>
}>

/** A container's address on a lab network (its eth0), or undefined without one (servers, a stopped deploy). */
export async function attachmentOf(lab: TwinContext, info: ContainerInfo): Promise<Attachment | undefined> {
  if (info.kind === 'host-sharing') return undefined
  const result = await lab.run(['ip', '-j', 'addr', 'show', 'dev', 'eth0'], { ns: info.ns })
  if (result.exitCode !== 0 || !result.stdout.trim()) return undefined
  const [link] = JSON.parse(result.stdout) as IpAddr
  const inet = link?.addr_info?.find((a) => a.family === 'inet')
  const network = inet && LAB_NETWORKS.find((n) => contains(parseCidr(subnetOf(n)), toInt(inet.local)))
  if (!inet || !network) return undefined
  const inet6 = link.addr_info?.find((a) => a.family === 'inet6' && a.scope === 'global')
  return {
    network: network.name,
    ipv4: inet.local,
    prefix: inet.prefixlen,
    ipv6: inet6?.local ?? '',
    ipv6Prefix: inet6?.prefixlen ?? 0,
    mac: link.address ?? '',
    gateway: network.gateway,
  }
}

/** Docker's own networks, on every docker host whatever the lab does. */
const BUILTIN: LabNetwork[] = [
  {
    name: 'bridge',
    id: networkId('bridge'),
    driver: 'bridge',
    subnet: '172.17.0.0/16',
    gateway: '172.17.0.1',
    members: [],
    options: { 'com.docker.network.bridge.default_bridge': 'true' },
  },
  { name: 'host', id: networkId('host'), driver: 'host', members: [], options: {} },
  { name: 'none', id: networkId('none'), driver: 'null', members: [], options: {} },
]

/** Every network: docker's own, then those of the lab that exist, with the containers on each. */
export async function labNetworks(lab: TwinContext): Promise<LabNetwork[]> {
  const networks = [...BUILTIN]
  const containers = [...lab.containers.values()].sort((a, b) => a.name.localeCompare(b.name))
  const attachments = await Promise.all(
    containers.map(async (info) => ({ info, attachment: await attachmentOf(lab, info) })),
  )
  for (const network of LAB_NETWORKS) {
    if (!(await networkExists(lab, network))) continue
    networks.push({
      name: network.name,
      id: networkId(network.name),
      driver: 'bridge',
      subnet: subnetOf(network),
      gateway: network.gateway,
      // A stopped container is not an endpoint of the network, as docker network inspect shows it.
      members: attachments.filter(
        (a): a is LabNetwork['members'][number] => a.attachment?.network === network.name && isRunning(a.info),
      ),
      options: { 'com.docker.network.driver.mtu': '1500' },
    })
  }
  return networks
}
