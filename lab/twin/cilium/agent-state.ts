import { readdir } from 'node:fs/promises'
import { cpus } from 'node:os'
import type { Cluster } from '../cluster/cluster.ts'
import { routerIp } from '../cluster/controllers/cilium-agent.ts'
import { agentPod, ciliumConfig } from '../cluster/controllers/cilium-config.ts'
import { speakerDir } from '../cluster/controllers/gobgp-speaker.ts'
import { type BgpPeer, type GobgpPeer, toAgentPeer } from './bgp-peers.ts'
import { isEndpointPod } from './endpoint-list.ts'
import type { AgentStatus } from './status.ts'

/** Where the CLI would find the agent: its API socket, named in the real client's errors. */
export const AGENT_SOCKET = '/var/run/cilium/cilium.sock'

/** The agent of `node` is not running: what the real client's HTTP call over the socket fails with. */
export class AgentUnreachableError extends Error {
  constructor(path: string) {
    super(`Get "http://localhost/v1${path}": dial unix ${AGENT_SOCKET}: connect: no such file or directory`)
  }
}

/** The node's running agent pod, or the error the CLI gets calling it at `path`. */
export function requireAgent(cluster: Cluster, node: string | undefined, path: string) {
  const pod = node ? agentPod(cluster.store, node) : undefined
  if (!pod || !node) throw new AgentUnreachableError(path)
  return { pod, node }
}

/** `cilium status`'s facts for the agent of `node`, from the store. */
export function agentStatus(cluster: Cluster, node: string | undefined): AgentStatus {
  const { pod, node: name } = requireAgent(cluster, node, '/healthz')
  const { store } = cluster
  const cidr: string = store.get('CiliumNode', undefined, name)?.spec?.ipam?.podCIDRs?.[0] ?? ''
  const gateway = cidr ? routerIp(cidr) : ''
  const pods = store.list('Pod').filter((p) => p.spec.nodeName === name && isEndpointPod(p))
  return {
    kubernetesVersion: store.get('Node', undefined, name)?.status?.nodeInfo?.kubeletVersion ?? '',
    ciliumVersion: /:v?([^:@]+)$/.exec(pod.spec.containers?.[0]?.image ?? '')?.[1] ?? '',
    kubeProxyReplacement:
      store.get('ConfigMap', 'kube-system', 'cilium-config')?.data?.['kube-proxy-replacement'] ?? 'disabled',
    cpus: cpus().length,
    ipam: {
      cidr,
      allocations: [
        ...(gateway ? [{ ip: gateway, owner: 'router' }] : []),
        ...pods.map((p) => ({ ip: p.status.podIP, owner: `${p.metadata.namespace}/${p.metadata.name}` })),
      ],
    },
    routerIp: gateway,
  }
}

/** The BGP control plane is off: the agent's API answers 501 (daemon/cmd/bgp.go), as the client prints it. */
export const BGP_DISABLED = '[GET /bgp/peers][501] getBgpPeersDisabled  BGP Control Plane disabled'

/**
 * The peers of every BGP server of the node's agent, read from its GoBGP speakers as the agent does (ListPeer with
 * advertised counts: `gobgp neighbor <address> -j`). Null when the control plane is disabled.
 */
export async function agentPeers(cluster: Cluster, node: string | undefined): Promise<BgpPeer[] | null> {
  const { node: name } = requireAgent(cluster, node, '/bgp/peers')
  if (!ciliumConfig(cluster.store)?.bgpControlPlane) return null
  const peers: BgpPeer[] = []
  for (const gobgp of await nodeSpeakers(cluster, name)) {
    const list: GobgpPeer[] = (await gobgp(['neighbor'])) ?? []
    for (const listed of list) {
      const address = listed.conf?.neighbor_address
      // One peer's JSON is an object (the list's is an array): it alone carries the advertised count.
      const detailed: GobgpPeer | GobgpPeer[] | null = address ? await gobgp(['neighbor', address]) : null
      peers.push(toAgentPeer((Array.isArray(detailed) ? detailed[0] : detailed) ?? listed, Date.now()))
    }
  }
  return peers
}

/** A call of one speaker's API with the gobgp CLI (`-j`): its JSON answer, or null when it answers nothing. */
export type SpeakerCall = (args: string[]) => Promise<any>

/** The API of each GoBGP speaker (BGP server) of the node's agent, in slot order, as the agent reaches its own. */
export async function nodeSpeakers(cluster: Cluster, name: string): Promise<SpeakerCall[]> {
  const dir = speakerDir(cluster.lab)
  const sockets = (await readdir(dir).catch(() => [])).filter(
    (f) => f.startsWith(`${name}-`) && /^\d+\.sock$/.test(f.slice(name.length + 1)),
  )
  return sockets.sort().map((socket) => async (args: string[]) => {
    const result = await cluster.lab.run(['gobgp', '--target', `unix://${dir}/${socket}`, ...args, '-j'], {
      timeoutMs: 5000,
    })
    // A speaker between a stop and its restart answers nothing: it has no peers or routes to show.
    return result.exitCode === 0 ? JSON.parse(result.stdout || 'null') : null
  })
}
