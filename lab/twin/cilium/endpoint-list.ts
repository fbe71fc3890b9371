import { createHash } from 'node:crypto'
import type { KObject } from '../cluster/store.ts'
import { hostEndpointLabels, podEndpointLabels } from './endpoint-labels.ts'
import { tabwriteText } from './tab-text.ts'

/** One endpoint of the agent (the part of models.Endpoint `cilium endpoint list` prints). */
export interface AgentEndpoint {
  id: number
  identity: number
  /** Security-relevant labels, sorted (`k8s:app=cni`, `reserved:host`). */
  labels: string[]
  /** Empty for the host endpoint, which has no address of its own. */
  ipv4: string
}

/** pkg/identity/numericidentity.go: the host's reserved identity; allocated ones span 256-65535 (`Global Identity Range`). */
const HOST_IDENTITY = 1
const IDENTITY_RANGE = { min: 256, max: 65535 }
/** pkg/endpoint/id: endpoint IDs are leased from 1-4095. */
const ENDPOINT_ID_RANGE = { min: 1, max: 4095 }

/**
 * Hands out one number per key in [min, max], each from a hash of its key, the next free one on a collision. The
 * agent leases identities and endpoint IDs at random from these ranges; a hash keeps the twin's numbers stable from
 * one call to the next and the same identity for the same labels on every node, as the shared allocator does.
 */
function numbersFor(keys: string[], range: { min: number; max: number }): Map<string, number> {
  const size = range.max - range.min + 1
  const taken = new Set<number>()
  const out = new Map<string, number>()
  for (const key of [...new Set(keys)].sort()) {
    let n = createHash('sha256').update(key).digest().readUInt32BE(0) % size
    while (taken.has(n)) n = (n + 1) % size
    taken.add(n)
    out.set(key, range.min + n)
  }
  return out
}

/** Whether a pod is a Cilium endpoint with an address: not on the host network, its address assigned. */
export const isEndpointPod = (pod: KObject) => !pod.spec?.hostNetwork && Boolean(pod.status?.podIP)

/**
 * The endpoints of the agent on `node`: its host endpoint (reserved:host, identity 1) and one per pod of the node
 * with an address. Emulated: endpoint IDs and pod identities are stable numbers from the ranges the agent uses
 * (see numbersFor), identities shared cluster-wide per label set. The health endpoint a real agent also lists is left
 * out, as the twin runs no cilium-health (its address would answer nothing).
 */
export function agentEndpoints(
  node: KObject | undefined,
  pods: KObject[],
  namespaces: KObject[],
  clusterName: string,
): AgentEndpoint[] {
  const nodeName = node?.metadata.name
  const labelsOf = (pod: KObject) =>
    podEndpointLabels(
      pod,
      namespaces.find((n) => n.metadata.name === pod.metadata.namespace),
      clusterName,
    )
  const endpointPods = pods.filter(isEndpointPod)
  const identities = numbersFor(
    endpointPods.map((pod) => labelsOf(pod).join(',')),
    IDENTITY_RANGE,
  )
  const local = endpointPods.filter((pod) => pod.spec.nodeName === nodeName)
  const podKey = (pod: KObject) => `${pod.metadata.namespace}/${pod.metadata.name}`
  const ids = numbersFor([`host:${nodeName}`, ...local.map(podKey)], ENDPOINT_ID_RANGE)
  const endpoints: AgentEndpoint[] = [
    { id: ids.get(`host:${nodeName}`) ?? 0, identity: HOST_IDENTITY, labels: hostEndpointLabels(node), ipv4: '' },
    ...local.map((pod) => {
      const labels = labelsOf(pod)
      return {
        id: ids.get(podKey(pod)) ?? 0,
        identity: identities.get(labels.join(',')) ?? 0,
        labels,
        ipv4: pod.status.podIP,
      }
    }),
  ]
  return endpoints.sort((a, b) => a.id - b.id)
}

/**
 * `cilium endpoint list` as the v1.13 agent prints it (cilium/cmd/endpoint_list.go printEndpointList): tabwriter
 * minwidth 5, padding 3, every cell tab-ended (so every column is padded, the last too), a two-line header unless
 * `--no-headers`, endpoints by ID, each further label on a line of its own under the first. No policy applies in the
 * twin, so enforcement is Disabled both ways; IPv6 is off; every endpoint the twin lists is ready.
 */
export function formatEndpointList(endpoints: AgentEndpoint[], headers = true): string {
  let text = ''
  if (headers) {
    text += 'ENDPOINT\tPOLICY (ingress)\tPOLICY (egress)\tIDENTITY\tLABELS (source:key[=value])\tIPv6\tIPv4\tSTATUS\t\n'
    text += '\tENFORCEMENT\tENFORCEMENT\t\t\t\t\t\n'
  }
  for (const ep of endpoints) {
    const [first = 'no labels', ...rest] = ep.labels
    text += `${ep.id}\tDisabled\tDisabled\t${ep.identity}\t${first}\t\t${ep.ipv4}\tready\t\n`
    for (const label of rest) text += `\t\t\t\t${label}\t\t\t\t\n`
  }
  return tabwriteText(text, 5, 3)
}
