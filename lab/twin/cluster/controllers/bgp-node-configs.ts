import { type LabelSelector, matches } from '../selector.ts'
import type { KObject } from '../store.ts'

/** The conditions the 1.18 operator sets on a CiliumBGPClusterConfig (pkg/k8s/apis/cilium.io/v2 bgp_cluster_types.go). */
export const NO_MATCHING_NODE = 'cilium.io/NoMatchingNode'
export const MISSING_PEER_CONFIGS = 'cilium.io/MissingPeerConfigs'
export const CONFLICTING_CLUSTER_CONFIG = 'cilium.io/ConflictingClusterConfig'

export interface Condition {
  type: string
  status: 'True' | 'False'
  reason: string
  message: string
}

/** What the operator decided: one CiliumBGPNodeConfig spec per selected node, and each cluster config's conditions. */
export interface OperatorDecision {
  /** Node name -> the cluster config that owns its node config, and the spec. */
  nodeConfigs: Map<string, { owner: KObject; spec: { bgpInstances: unknown[] } }>
  conditions: Map<string, Condition[]>
}

const byAge = (a: KObject, b: KObject) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  a.metadata.name.localeCompare(b.metadata.name)

const condition = (type: string, on: boolean, reason: string, message: string): Condition => ({
  type,
  status: on ? 'True' : 'False',
  reason,
  message,
})

/**
 * The BGP v2 operator (Cilium 1.18, operator/pkg/bgpv2): every CiliumBGPClusterConfig selects nodes (a nil or empty
 * nodeSelector selects EVERY node, unlike v1's policies where nil selects none) and the operator writes one
 * CiliumBGPNodeConfig per selected node, named after it, with the config's instances and peers; the node's
 * CiliumBGPNodeConfigOverride (named after the node) adds its routerID, localPort, localASN and per-peer
 * localAddress. A node that an older cluster config already claims is left to that one, and the newer config gets
 * the ConflictingClusterConfig condition.
 */
export function operatorDecision(
  clusterConfigs: KObject[],
  peerConfigs: KObject[],
  overrides: KObject[],
  nodes: KObject[],
): OperatorDecision {
  const nodeConfigs: OperatorDecision['nodeConfigs'] = new Map()
  const conditions = new Map<string, Condition[]>()
  const peerConfigNames = new Set(peerConfigs.map((p) => p.metadata.name))
  for (const config of [...clusterConfigs].sort(byAge)) {
    const selector = config.spec?.nodeSelector as LabelSelector | undefined
    const selected = nodes.filter((n) => !selector || matches(selector, n.metadata.labels ?? {}))
    const conflicts = selected.filter((n) => nodeConfigs.has(n.metadata.name)).map((n) => n.metadata.name)
    const instances: any[] = config.spec?.bgpInstances ?? []
    const missing = [
      ...new Set(
        instances
          .flatMap((i) => (i.peers ?? []).map((p: any) => p.peerConfigRef?.name))
          .filter((n: string | undefined) => n && !peerConfigNames.has(n)),
      ),
    ]
    conditions.set(config.metadata.name, [
      condition(
        NO_MATCHING_NODE,
        selected.length === 0,
        'NoMatchingNode',
        selected.length === 0 ? 'No node matches spec.nodeSelector' : '',
      ),
      condition(
        MISSING_PEER_CONFIGS,
        missing.length > 0,
        'MissingPeerConfigs',
        missing.length > 0 ? `Referenced CiliumBGPPeerConfig(s) are missing: [${missing.join(' ')}]` : '',
      ),
      condition(
        CONFLICTING_CLUSTER_CONFIG,
        conflicts.length > 0,
        'ConflictingClusterConfigs',
        conflicts.length > 0
          ? `Selecting the same node(s) with ClusterConfig(s): [${conflicts.map((n) => nodeConfigs.get(n)!.owner.metadata.name).join(' ')}]`
          : '',
      ),
    ])
    for (const node of selected) {
      const name = node.metadata.name
      if (nodeConfigs.has(name)) continue
      const override = overrides.find((o) => o.metadata.name === name)
      nodeConfigs.set(name, { owner: config, spec: { bgpInstances: instances.map((i) => nodeInstance(i, override)) } })
    }
  }
  return { nodeConfigs, conditions }
}

/** One instance of a node config: the cluster config's, with the override's fields where it has them. */
function nodeInstance(instance: any, override: KObject | undefined): Record<string, unknown> {
  const o = (override?.spec?.bgpInstances ?? []).find((i: any) => i.name === instance.name) ?? {}
  const peers = (instance.peers ?? []).map((peer: any) => {
    const localAddress = (o.peers ?? []).find((p: any) => p.name === peer.name)?.localAddress
    return {
      name: peer.name,
      ...(peer.peerAddress !== undefined ? { peerAddress: peer.peerAddress } : {}),
      peerASN: peer.peerASN ?? 0,
      ...(localAddress ? { localAddress } : {}),
      ...(peer.peerConfigRef ? { peerConfigRef: { name: peer.peerConfigRef.name } } : {}),
    }
  })
  return {
    name: instance.name,
    ...((o.localASN ?? instance.localASN) ? { localASN: o.localASN ?? instance.localASN } : {}),
    ...(o.routerID ? { routerID: o.routerID } : {}),
    ...((o.localPort ?? instance.localPort) ? { localPort: o.localPort ?? instance.localPort } : {}),
    peers,
  }
}
