import { type AgentEndpoint, agentEndpoints, isEndpointPod } from '../../cilium/endpoint-list.ts'
import type { Cluster, Controller } from '../cluster.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { agentPod, ciliumConfig } from './cilium-config.ts'
import { internalIp } from './scheduling.ts'

/**
 * What 1.13 writes for policy when `--endpoint-status` leaves policy out, the chart's default
 * (pkg/endpoint/endpoint_status.go getEndpointPolicyStateDisabled): `kubectl get cep` shows it in both enforcement
 * columns and the visibility one.
 */
const STATUS_DISABLED = '<status disabled>'

/** A container port with a name, as the agent keeps them for policies that name ports. */
interface NamedPort {
  name: string
  port: number
  protocol: string
}

/** The pod's named container ports, by name (getNamedPortsModel sorts them so the CEP does not churn). */
function namedPorts(pod: KObject): NamedPort[] {
  const ports: NamedPort[] = (pod.spec.containers ?? []).flatMap((c: any) =>
    (c.ports ?? [])
      .filter((p: any) => p.name)
      .map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })),
  )
  return ports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** A plain owner reference to the pod (no controller flag), as the agent sets it. */
const podRef = (pod: KObject) => ({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid! })

/**
 * The CiliumEndpoint the 1.13 agent keeps for one of its pod endpoints (pkg/k8s/watchers endpoint synchronizer and
 * GetCiliumEndpointStatus): named and labelled as the pod, owned by it, status with the agent's endpoint ID and
 * identity, the pod's address and the node's, the compressed state (`ready`), no encryption key, and policy status
 * disabled. Empty fields are left out as the Go omitempty does.
 */
function ciliumEndpoint(pod: KObject, endpoint: AgentEndpoint, nodeIp: string | undefined): KObject {
  const ports = namedPorts(pod)
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumEndpoint',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      ...(pod.metadata.labels ? { labels: { ...pod.metadata.labels } } : {}),
      ownerReferences: [podRef(pod)],
    },
    status: {
      encryption: {},
      'external-identifiers': {
        'k8s-namespace': pod.metadata.namespace,
        'k8s-pod-name': pod.metadata.name,
        'pod-name': `${pod.metadata.namespace}/${pod.metadata.name}`,
      },
      id: endpoint.id,
      identity: { id: endpoint.identity, labels: endpoint.labels },
      ...(ports.length ? { 'named-ports': ports } : {}),
      networking: { addressing: [{ ipv4: pod.status.podIP }], ...(nodeIp ? { node: nodeIp } : {}) },
      policy: {
        egress: { enforcing: false, state: STATUS_DISABLED },
        ingress: { enforcing: false, state: STATUS_DISABLED },
      },
      state: 'ready',
      'visibility-policy-status': STATUS_DISABLED,
    },
  }
}

/** The CiliumEndpoints every running agent wants: one per pod endpoint of its node, keyed `namespace/name`. */
function wantedEndpoints(cluster: Cluster, clusterName: string): Map<string, KObject> {
  const { store } = cluster
  const pods = store.list('Pod')
  const namespaces = store.list('Namespace')
  const wanted = new Map<string, KObject>()
  for (const node of store.list('Node')) {
    const name = node.metadata.name
    if (!agentPod(store, name)) continue
    const local = pods.filter((pod) => pod.spec.nodeName === name && isEndpointPod(pod))
    // The endpoint list knows its pods by address only; a pod's address is its own on its node.
    for (const endpoint of agentEndpoints(node, pods, namespaces, clusterName)) {
      const pod = endpoint.ipv4 ? local.find((p) => p.status.podIP === endpoint.ipv4) : undefined
      if (pod)
        wanted.set(`${pod.metadata.namespace}/${pod.metadata.name}`, ciliumEndpoint(pod, endpoint, internalIp(node)))
    }
  }
  return wanted
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Creates the CEP or brings its labels, owner and status to what the agent wants. */
function sync(store: ObjectStore, desired: KObject): void {
  const { name, namespace } = desired.metadata
  const existing = store.get('CiliumEndpoint', namespace, name)
  if (!existing) {
    store.create(desired)
    return
  }
  const { labels, ownerReferences } = desired.metadata
  if (
    same(existing.status, desired.status) &&
    same(existing.metadata.labels, labels) &&
    same(existing.metadata.ownerReferences, ownerReferences)
  )
    return
  store.patch('CiliumEndpoint', namespace, name, (o) => {
    o.status = desired.status
    o.metadata.ownerReferences = ownerReferences
    if (labels) o.metadata.labels = labels
    else delete o.metadata.labels
  })
}

/**
 * The agents' CiliumEndpoints (`kubectl get cep -A`): each node's running agent keeps one per pod endpoint it
 * manages, with the same endpoint ID and identity `cilium endpoint list` shows in its pod. A CEP goes with its pod
 * (the garbage collector follows the owner reference) or when the pod stops being an endpoint (the agent deletes it
 * with the endpoint). No agent writes one before Cilium is installed.
 */
export const ciliumEndpointsController: Controller = {
  name: 'cilium-endpoints',
  async reconcile(cluster: Cluster) {
    const { store } = cluster
    const config = ciliumConfig(store)
    if (!store.cluster) return
    // The garbage collector goes on after Cilium is uninstalled: the CRD and its objects stay, their pods go.
    const wanted = config ? wantedEndpoints(cluster, config.clusterName) : new Map<string, KObject>()
    for (const desired of wanted.values()) sync(store, desired)
    for (const cep of store.list('CiliumEndpoint')) {
      const key = `${cep.metadata.namespace}/${cep.metadata.name}`
      const owner = cep.metadata.ownerReferences?.[0]?.uid
      const pod = store.get('Pod', cep.metadata.namespace, cep.metadata.name)
      // A CEP whose pod runs on a node without a running agent stays, as the real one does until that agent is back;
      // one with no owner is nobody's to collect.
      const ownerGone = owner !== undefined && pod?.metadata.uid !== owner
      if (ownerGone || (pod && !wanted.has(key) && !isEndpointPod(pod)))
        store.delete('CiliumEndpoint', cep.metadata.namespace, cep.metadata.name)
    }
  },
}
