import { ciliumCliTool } from '../cilium/cilium-cli-tool.ts'
import { clabTool } from '../clab/clab-tool.ts'
import { clusterTools, startCluster } from '../cluster/tools.ts'
import type { TwinContext } from '../context.ts'
import { dockerTool } from '../docker/docker-tool.ts'
import { vyosTool } from '../router/vyos-tool.ts'
import type { ToolHandler } from './tool.ts'

/** The tools on the lab host's PATH and the cluster side's lifecycle hook. */
export interface LabTools {
  tools: Record<string, ToolHandler>
  startCluster: (lab: TwinContext) => { stop(): Promise<void> }
}

/**
 * The network side (clab, containerlab, docker; `vyos` is the routers' CLI, called from their shells) and the
 * Kubernetes side (kind, kubectl, helm).
 */
export const LAB_TOOLS: LabTools = {
  tools: {
    clab: clabTool,
    containerlab: clabTool,
    docker: dockerTool,
    vyos: vyosTool,
    cilium: ciliumCliTool,
    ...clusterTools,
  },
  startCluster,
}
