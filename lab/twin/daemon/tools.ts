import { existsSync } from 'node:fs'
import { clabTool } from '../clab/clab-tool.ts'
import type { TwinContext } from '../context.ts'
import { dockerTool } from '../docker/docker-tool.ts'
import type { ToolHandler } from './tool.ts'

/** The tools on the lab host's PATH and the cluster side's lifecycle hook. */
export interface LabTools {
  tools: Record<string, ToolHandler>
  startCluster?: (lab: TwinContext) => { stop(): Promise<void> }
}

const CLUSTER_TOOLS = new URL('../cluster/tools.ts', import.meta.url)

/** The twin's tools; `log` hears why the cluster side could not be loaded (the lab host then works without it). */
export async function loadTools(log: (line: string) => void): Promise<LabTools> {
  const tools: Record<string, ToolHandler> = { clab: clabTool, containerlab: clabTool, docker: dockerTool }
  // The Kubernetes side (kind, kubectl, helm) is built separately; the lab host works without it until it lands.
  if (!existsSync(CLUSTER_TOOLS)) return { tools }
  let cluster: { clusterTools: Record<'kubectl' | 'kind' | 'helm', ToolHandler>; startCluster: LabTools['startCluster'] }
  try {
    cluster = await import(CLUSTER_TOOLS.href)
  } catch (error) {
    log(`kind, kubectl and helm are unavailable: ${(error as Error).message}`)
    return { tools }
  }
  return { tools: { ...tools, ...cluster.clusterTools }, startCluster: cluster.startCluster }
}
