import type { Server } from 'node:net'
import { join } from 'node:path'
import type { KObject } from '../cluster/store.ts'
import { CONTAINER_PATH } from '../container/exec-lookup.ts'
import type { TwinContext } from '../context.ts'
import { serveTools } from '../daemon/server.ts'
import { writeShims } from '../daemon/shims.ts'
import { ciliumTool } from './cilium-tool.ts'

/** The agent CLI's own shim dir and socket: apart from the lab host's tools, so `cilium` is on no PATH but an agent pod's. */
const paths = (lab: TwinContext) => ({
  bin: join(lab.runDir, 'cilium', 'bin'),
  socket: join(lab.runDir, 'cilium', 'agent.sock'),
})

/** Whether `pod` is a Cilium agent (a pod of the cilium DaemonSet), whose container has the `cilium` binary. */
export const isAgentPod = (pod: KObject) =>
  pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.['k8s-app'] === 'cilium'

/**
 * Serves the `cilium` shim of agent pods, as the agent serves its CLI on /var/run/cilium/cilium.sock: the shim
 * reaches this socket, and the handler answers for the node named in the caller's K8S_NODE_NAME.
 */
export async function serveAgentCli(lab: TwinContext, log: (line: string) => void): Promise<Server> {
  const { bin, socket } = paths(lab)
  writeShims(bin, socket, ['cilium'])
  return serveTools(socket, { cilium: ciliumTool }, lab, log)
}

/**
 * What an agent pod's environment adds to a pod's (cluster/pod-env.ts): the `cilium` shim first on PATH, and
 * K8S_NODE_NAME (the DaemonSet's downward-API variable). Empty for other pods.
 */
export function agentPodVars(lab: TwinContext, pod: KObject): string[] {
  if (!isAgentPod(pod)) return []
  return [`PATH=${paths(lab).bin}:${CONTAINER_PATH}`, `K8S_NODE_NAME=${pod.spec.nodeName}`]
}
