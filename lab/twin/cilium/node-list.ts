import type { KObject } from '../cluster/store.ts'
import { tabwriteText } from './tab-text.ts'

/** One node the agent knows (models.NodeElement, the part `cilium node list` prints). */
export interface AgentNode {
  /** The node's name, prefixed with `<cluster>/` when the cluster is not named `default`. */
  name: string
  ipv4: string
  /** The CIDR the node allocates its endpoints' addresses from. */
  ipv4Cidr: string
}

/** Node address types in the order pkg/node/types/node.go GetNodeIP prefers them; CiliumInternalIP never counts. */
const ADDRESS_PREFERENCE = ['InternalIP', 'ExternalIP']

/**
 * The nodes an agent in CRD mode knows: one per CiliumNode (each agent registers its own), named as
 * pkg/node/types/node.go Fullname names them (the cluster name joined in front unless it is `default`), with the
 * address GetNodeIP picks and the first pod CIDR as the IPv4 allocation range.
 */
export function agentNodes(ciliumNodes: KObject[], clusterName: string): AgentNode[] {
  return ciliumNodes.map((node) => {
    const addresses: { type: string; ip: string }[] = (node.spec?.addresses ?? []).filter(
      (a: { type: string }) => a.type !== 'CiliumInternalIP',
    )
    const preferred = ADDRESS_PREFERENCE.map((type) => addresses.find((a) => a.type === type)).find(Boolean)
    return {
      name: clusterName === 'default' ? node.metadata.name : `${clusterName}/${node.metadata.name}`,
      ipv4: (preferred ?? addresses[0])?.ip ?? '',
      ipv4Cidr: node.spec?.ipam?.podCIDRs?.find((cidr: string) => !cidr.includes(':')) ?? '',
    }
  })
}

/**
 * `cilium node list` as the v1.13 agent prints it (cilium/cmd/node_list.go formatStatusResponse): a tabwriter with
 * minwidth 0 and padding 3, the header first, then the rows sorted as strings (so by name). A row's cells are ended by
 * tabs up to the IPv6 address, so the empty IPv6 column is padded and the last, empty IPv6 CIDR is not: the twin's
 * cluster is IPv4 only.
 */
export function formatNodeList(nodes: AgentNode[]): string {
  // Go builds the rows after as many empty strings; with no node at all it prints nothing, not even the header.
  if (nodes.length === 0) return ''
  const rows = nodes.map((n) => `${n.name}\t${n.ipv4}\t${n.ipv4Cidr}\t\t\n`).sort()
  return tabwriteText(`Name\tIPv4 Address\tEndpoint CIDR\tIPv6 Address\tEndpoint CIDR\n${rows.join('')}`, 0, 3)
}
