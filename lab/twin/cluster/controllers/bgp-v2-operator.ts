import type { Cluster, Controller } from '../cluster.ts'
import type { KObject } from '../store.ts'
import { operatorDecision } from './bgp-node-configs.ts'
import { ciliumConfig } from './cilium-config.ts'

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * The Cilium operator's BGP v2 reconciler: keeps one CiliumBGPNodeConfig per selected node (owned by its
 * CiliumBGPClusterConfig, removed when no config selects the node any more) and the cluster configs' conditions.
 * Dormant unless the control plane is on and the cluster serves the v2 kinds (Cilium 1.16 and later).
 */
export const bgpV2Operator: Controller = {
  name: 'bgp-v2-operator',
  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const served = store.get('CustomResourceDefinition', undefined, 'ciliumbgpnodeconfigs.cilium.io')
    if (!store.cluster || !ciliumConfig(store)?.bgpControlPlane || !served) return
    const clusterConfigs = store.list('CiliumBGPClusterConfig')
    const decision = operatorDecision(
      clusterConfigs,
      store.list('CiliumBGPPeerConfig'),
      store.list('CiliumBGPNodeConfigOverride'),
      store.list('Node'),
    )
    for (const [node, { owner, spec }] of decision.nodeConfigs) {
      const existing = store.get('CiliumBGPNodeConfig', undefined, node)
      const ownerReferences = [
        {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumBGPClusterConfig',
          name: owner.metadata.name,
          uid: owner.metadata.uid ?? '',
          controller: true,
        },
      ]
      if (!existing) {
        const object: KObject = {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumBGPNodeConfig',
          metadata: { name: node, ownerReferences },
          spec,
        }
        store.create(object)
      } else if (!same(existing.spec, spec) || !same(existing.metadata.ownerReferences, ownerReferences)) {
        store.patch('CiliumBGPNodeConfig', undefined, node, (o) => {
          o.spec = spec
          o.metadata.ownerReferences = ownerReferences
        })
      }
    }
    for (const stale of store.list('CiliumBGPNodeConfig')) {
      if (!decision.nodeConfigs.has(stale.metadata.name))
        store.delete('CiliumBGPNodeConfig', undefined, stale.metadata.name)
    }
    for (const config of clusterConfigs) {
      const conditions = decision.conditions.get(config.metadata.name)
      if (!same(config.status?.conditions, conditions))
        store.patch('CiliumBGPClusterConfig', undefined, config.metadata.name, (o) => void (o.status = { conditions }))
    }
  },
}
