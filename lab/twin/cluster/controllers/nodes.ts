import { notReady } from '../bootstrap.ts'
import type { Cluster, Controller } from '../cluster.ts'
import { hasEvent, nodeTarget, recordEvent, targetOf } from '../events.ts'
import { nodeStartedAt, nodeStopped } from '../node-power.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { isReady } from './scheduling.ts'

/** IPv4 addresses present in a namespace right now. */
export async function addressesIn(cluster: Cluster, ns: string): Promise<string[]> {
  const result = await cluster.lab.run(['ip', '-n', ns, '-4', '-o', 'addr', 'show'])
  return [...result.stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1])
}

/**
 * The kubelet's address report: the configured node-ip once it exists on one of the node's interfaces (clab adds it
 * to net0), nothing before (the kubelet refuses a node-ip it does not hold, so the seed shows `<none>`). Without a
 * configured node-ip the kubelet reports eth0's address on the kind network.
 */
export class NodesController implements Controller {
  readonly name = 'nodes'
  /** The lab generation last probed: store changes alone cannot move an address, tools can. */
  private probed = -1

  /** Node -> the start of its container the kubelet's events were last recorded for: a `docker start` is a new one. */
  private readonly booted = new Map<string, number>()

  async reconcile(cluster: Cluster): Promise<void> {
    const record = cluster.store.cluster
    for (const node of record ? cluster.store.list('Node') : []) {
      const name = node.metadata.name
      // A stopped node's kubelet and kube-proxy record nothing.
      if (nodeStopped(cluster.lab, name)) continue
      const started = nodeStartedAt(cluster.lab, name)
      const restarted = started !== undefined && this.booted.has(name) && this.booted.get(name) !== started
      if (started !== undefined) this.booted.set(name, started)
      recordNodeEvents(cluster.store, node, restarted)
      if (restarted) {
        // The kubelet posts its own status again: not ready until the CNI (Cilium's agent) is up once more.
        if (!isReady(node)) cluster.store.patch('Node', undefined, name, (o) => void (o.status.conditions = [notReady]))
        restartPods(cluster.store, name)
      }
    }
    if (!record || cluster.labGeneration === this.probed) return
    this.probed = cluster.labGeneration
    await Promise.all(
      record.nodes.map(async (node) => {
        const present = await addressesIn(cluster, cluster.lab.ns(node.name))
        const ip = node.nodeIP
          ? present.includes(node.nodeIP)
            ? node.nodeIP
            : undefined
          : present.find((a) => a.startsWith('172.18.'))
        cluster.store.patch('Node', undefined, node.name, (o) => {
          o.status.addresses = [
            ...(ip ? [{ type: 'InternalIP', address: ip }] : []),
            { type: 'Hostname', address: node.name },
          ]
        })
      }),
    )
  }
}

/** metav1.Time: seconds. */
const stamp = (time: number) => new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z')

/**
 * A node started again: its kubelet finds every container of its pods gone with the node and starts it again, so
 * each counts a restart with the last state the kubelet reports for a container it never saw end (exit code 255,
 * reason Unknown); a pod with a network of its own gets a new sandbox first (kuberuntime_manager.go:
 * "Pod sandbox changed, it will be killed and re-created."), and its containers are pulled, created and started again.
 */
function restartPods(store: ObjectStore, node: string): void {
  const now = stamp(Date.now())
  for (const pod of store.list('Pod')) {
    if (pod.spec?.nodeName !== node || pod.metadata.deletionTimestamp || !pod.status?.containerStatuses) continue
    store.patch('Pod', pod.metadata.namespace, pod.metadata.name, (o) => {
      for (const status of o.status.containerStatuses) {
        const startedAt = status.state?.running?.startedAt
        status.lastState = {
          terminated: { exitCode: 255, reason: 'Unknown', ...(startedAt ? { startedAt } : {}), finishedAt: now },
        }
        status.restartCount = (status.restartCount ?? 0) + 1
        status.state = { running: { startedAt: now } }
      }
    })
    const source = { component: 'kubelet', host: node }
    if (!pod.spec.hostNetwork)
      recordEvent(store, targetOf(pod), {
        type: 'Normal',
        reason: 'SandboxChanged',
        message: 'Pod sandbox changed, it will be killed and re-created.',
        source,
      })
    for (const c of pod.spec.containers ?? []) {
      const event = (reason: string, message: string) =>
        recordEvent(store, targetOf(pod), {
          type: 'Normal',
          reason,
          message,
          source,
          fieldPath: `spec.containers{${c.name}}`,
        })
      event('Pulled', `Container image "${c.image}" already present on machine`)
      event('Created', `Created container ${c.name}`)
      event('Started', `Started container ${c.name}`)
    }
  }
}

/**
 * A node's events: the kubelet's at registration (kubelet_node_status.go, "Node %s status is now: %s"; "Starting
 * kubelet."; "Updated Node Allocatable limit across pods"), the node lifecycle controller's RegisteredNode ("Node %s
 * event: Registered Node %s in Controller", about the Node's real uid), kube-proxy's Starting (no message), then
 * NodeReady / NodeNotReady on each change of the Ready condition. A kubelet started again (`docker start` of the node)
 * records its start again, and NodeReady once the node is Ready. The kubelet and kube-proxy name the node by its name
 * as uid, which is what `kubectl describe node` looks up.
 */
function recordNodeEvents(store: ObjectStore, node: KObject, restarted: boolean): void {
  const name = node.metadata.name
  const kubelet = { component: 'kubelet', host: name }
  const status = (condition: string) => ({
    type: 'Normal' as const,
    reason: condition,
    message: `Node ${name} status is now: ${condition}`,
    source: kubelet,
  })
  const registered = hasEvent(store, name, 'NodeAllocatableEnforced')
  if (!registered || restarted) {
    recordEvent(store, nodeTarget(node), {
      type: 'Normal',
      reason: 'Starting',
      message: 'Starting kubelet.',
      source: kubelet,
    })
    for (const condition of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'])
      recordEvent(store, nodeTarget(node), status(condition))
    recordEvent(store, nodeTarget(node), {
      type: 'Normal',
      reason: 'NodeAllocatableEnforced',
      message: 'Updated Node Allocatable limit across pods',
      source: kubelet,
    })
    if (!registered)
      recordEvent(store, targetOf(node), {
        type: 'Normal',
        reason: 'RegisteredNode',
        message: `Node ${name} event: Registered Node ${name} in Controller`,
        source: { component: 'node-controller' },
      })
    recordEvent(store, nodeTarget(node), {
      type: 'Normal',
      reason: 'Starting',
      message: '',
      source: { component: 'kube-proxy', host: name },
    })
  }
  // The kubelet's last start or readiness event written (resourceVersion grows with every write, a repeat's too) is
  // the node's last known state: a kubelet that just started has reported no readiness yet.
  const last = store
    .list('Event')
    .filter(
      (e) =>
        e.involvedObject.uid === name &&
        (e.reason === 'NodeReady' || e.reason === 'NodeNotReady' || e.message === 'Starting kubelet.'),
    )
    .sort((a, b) => Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion))[0]?.reason
  const ready = isReady(node)
  if (ready && last !== 'NodeReady') recordEvent(store, nodeTarget(node), status('NodeReady'))
  if (!ready && last === 'NodeReady') recordEvent(store, nodeTarget(node), status('NodeNotReady'))
}
