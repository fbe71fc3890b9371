import { tabwriteText } from './tab-text.ts'

/** What `cilium status` reports of one agent, gathered from the store and the lab. */
export interface AgentStatus {
  /** The node's kubelet version (`v1.23.4`). */
  kubernetesVersion: string
  /** The agent image's version (`1.13.0-rc5`). */
  ciliumVersion: string
  /** kube-proxy-replacement of cilium-config (`disabled`, `partial`, `strict`, `probe`). */
  kubeProxyReplacement: string
  cpus: number
  /** The node's pod CIDR and its allocated addresses with their owner (`router`, `default/cni-8cnm5`). */
  ipam: { cidr: string; allocations: { ip: string; owner: string }[] }
  routerIp: string
}

/** The Kubernetes resources a 1.13 agent with the chart's defaults watches (its `Kubernetes APIs` line, sorted). */
const K8S_APIS = [
  'cilium/v2::CiliumClusterwideNetworkPolicy',
  'cilium/v2::CiliumEndpoint',
  'cilium/v2::CiliumNetworkPolicy',
  'cilium/v2::CiliumNode',
  'core/v1::Namespace',
  'core/v1::Node',
  'core/v1::Pods',
  'core/v1::Service',
  'discovery/v1::EndpointSlice',
  'networking.k8s.io/v1::NetworkPolicy',
]

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)

/** Addresses of a /N: 2^(32-N) minus network and broadcast, as the agent's host-scope allocator counts them. */
const poolSize = (cidr: string) => 2 ** (32 - Number(cidr.split('/')[1])) - 2

/**
 * `cilium status` as the v1.13 agent prints it (pkg/client/client.go FormatStatusResponse through tabwriter minwidth
 * 2, padding 3; line order and wording as a 1.13.0 agent printed them). Values are the twin's: native routing with
 * kube-proxy, IPAM from the node's podCIDR. Lines about parts the twin has no counterpart for are left out rather
 * than invented: cilium-health (`Cilium health daemon`, `Cluster health`), `Controller Status` and Hubble. The version
 * is printed without the build's commit, which the twin does not know. `allAddresses` (`--all-addresses`,
 * `--verbose`) lists the allocations.
 */
export function formatStatus(status: AgentStatus, allAddresses: boolean): string {
  const { ipam } = status
  const [major, minor] = status.kubernetesVersion.replace(/^v/, '').split('.')
  let text = 'KVStore:\tOk\tDisabled\n'
  text += `Kubernetes:\tOk\t${major}.${minor} (${status.kubernetesVersion}) [linux/amd64]\n`
  text += `Kubernetes APIs:\t["${K8S_APIS.join('", "')}"]\n`
  text += `KubeProxyReplacement:\t${capitalized(status.kubeProxyReplacement)}\t\n`
  text += 'Host firewall:\tDisabled\n'
  text += 'CNI Chaining:\tnone\n'
  text += 'CNI Config file:\tCNI configuration file management disabled\n'
  text += `Cilium:\tOk   ${status.ciliumVersion} (v${status.ciliumVersion})\n`
  text += `NodeMonitor:\tListening for events on ${status.cpus} CPUs with 64x4096 of shared memory\n`
  text += `IPAM:\tIPv4: ${ipam.allocations.length}/${poolSize(ipam.cidr)} allocated from ${ipam.cidr}, \n`
  if (allAddresses) {
    text += 'Allocated addresses:\n'
    for (const line of ipam.allocations.map((a) => `  ${a.ip} (${a.owner})`).sort()) text += `${line}\n`
  }
  text += 'IPv6 BIG TCP:\tDisabled\n'
  text += 'BandwidthManager:\tDisabled\n'
  text += 'Host Routing:\tLegacy\n'
  text += 'Masquerading:\tIPTables [IPv4: Enabled, IPv6: Disabled]\n'
  text += `Proxy Status:\tOK, ip ${status.routerIp}, 0 redirects active on ports 10000-20000\n`
  text += 'Global Identity Range:\tmin 256, max 65535\n'
  text += 'Encryption:\tDisabled\n'
  return tabwriteText(text, 2, 3)
}
