import type { TwinContext } from '../context.ts'
import type { ToolHandler } from '../daemon/tool.ts'
import { helmTool } from '../helm/helm-tool.ts'
import { kindTool } from '../kind/kind-tool.ts'
import { kubectlTool } from '../kubectl/kubectl.ts'
import { Cluster, registerCluster, unregisterCluster } from './cluster.ts'
import { controllers } from './controllers/index.ts'

/** The Kubernetes side's tools on the lab host's PATH. */
export const clusterTools: Record<'kubectl' | 'kind' | 'helm', ToolHandler> = {
  kubectl: kubectlTool,
  kind: kindTool,
  helm: helmTool,
}

/**
 * Starts the emulated cluster of a lab: loads its persisted objects (a restarted daemon keeps them) and runs the
 * controllers, which re-create what the objects ask for (pod namespaces, speakers, rules). `stop` ends the
 * controllers' daemons; the lab's teardown removes namespaces.
 */
export function startCluster(lab: TwinContext): { stop(): Promise<void> } {
  const cluster = new Cluster(lab, controllers())
  registerCluster(cluster)
  if (cluster.store.cluster) cluster.kick()
  return {
    async stop() {
      await cluster.stop()
      unregisterCluster(cluster)
    },
  }
}
