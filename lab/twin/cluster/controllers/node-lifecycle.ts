import type { Cluster, Controller } from '../cluster.ts'
import { recordEvent, targetOf } from '../events.ts'
import { apiServerStopped, controlPlaneNode, nodeStartedAt, nodeStoppedAt } from '../node-power.ts'
import type { KObject, ObjectStore } from '../store.ts'

/**
 * kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go,
 * Kubernetes 1.23). A stopped kind node's kubelet stops posting status and renewing its Lease; once the last one is
 * older than --node-monitor-grace-period (40 s, the 1.23 default, which kind keeps) the controller sets the node's
 * conditions Unknown (tryUpdateNodeHealth), records NodeNotReady about the node, marks its pods not ready
 * (controller/util/node MarkPodsNotReady, with a NodeNotReady warning on each) and taints it unreachable; its taint
 * manager evicts the pods whose toleration runs out. A node whose kubelet reports again loses the unreachable taints
 * (markNodeAsReachable); a cordoned node gets the unschedulable taint. The controller runs on the control plane node:
 * while that node is stopped nothing is marked, and when it starts again every node gets a full grace period from
 * then. The twin marks a node at the end of its grace period; the real controller looks every 5 s
 * (--node-monitor-period), so up to 5 s later.
 */
export const NODE_MONITOR_GRACE_MS = 40_000

const UNREACHABLE = 'node.kubernetes.io/unreachable'
const NOT_READY = 'node.kubernetes.io/not-ready'

/** Where the kubelet keeps them (kubelet_node_status.go defaultNodeStatusFuncs: the pressure conditions, then Ready). */
const CONDITION_TYPES = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']

/** metav1.Time: seconds. */
const stamp = (time: number) => new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z')

const unknown = (node: KObject) =>
  (node.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'Unknown',
  )

/** The node's conditions Unknown, its unreachable taints, and the events and pod readiness that go with them. */
function markUnreachable(store: ObjectStore, node: KObject, lastHeartbeat: number, now: number): void {
  const name = node.metadata.name
  if (!unknown(node)) {
    store.patch('Node', undefined, name, (o) => {
      const stored: any[] = o.status.conditions ?? []
      o.status.conditions = CONDITION_TYPES.map((type) => ({
        ...stored.find((c) => c.type === type),
        type,
        status: 'Unknown',
        lastHeartbeatTime: stamp(lastHeartbeat),
        lastTransitionTime: stamp(now),
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      }))
    })
    // controller/util/node RecordNodeStatusChange: about the Node's own uid, so `kubectl get events` lists it and
    // `kubectl describe node` (which looks events up by the node's name as uid) does not, as on a real cluster.
    recordEvent(store, targetOf(node), {
      type: 'Normal',
      reason: 'NodeNotReady',
      message: `Node ${name} status is now: NodeNotReady`,
      source: { component: 'node-controller' },
    })
    for (const pod of store.list('Pod').filter((p) => p.spec?.nodeName === name)) {
      const ready = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')
      if (!ready || ready.status === 'False') continue
      store.patch('Pod', pod.metadata.namespace, pod.metadata.name, (o) => {
        for (const c of o.status.conditions)
          if (c.type === 'Ready') Object.assign(c, { status: 'False', lastTransitionTime: stamp(now) })
      })
      recordEvent(store, targetOf(pod), {
        type: 'Warning',
        reason: 'NodeNotReady',
        message: 'Node is not ready',
        source: { component: 'node-controller' },
      })
    }
  }
  // The NoExecute taint comes from the tainting queue (with the time it was added), NoSchedule from the pass that
  // mirrors conditions into taints; describe shows them in that order. Unreachable replaces not-ready (a node that
  // never had a CNI).
  const taints: any[] = node.spec?.taints ?? []
  const wanted = [
    { key: UNREACHABLE, effect: 'NoExecute', timeAdded: stamp(now) },
    { key: UNREACHABLE, effect: 'NoSchedule' },
  ].filter((t) => !taints.some((have) => have.key === t.key && have.effect === t.effect))
  if (wanted.length || taints.some((t) => t.key === NOT_READY))
    store.patch('Node', undefined, name, (o) => {
      o.spec.taints = [...(o.spec.taints ?? []).filter((t: { key: string }) => t.key !== NOT_READY), ...wanted]
    })
}

const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

/** doNoScheduleTaintingPass: a cordoned node (spec.unschedulable) has the unschedulable taint, and only it. */
function syncUnschedulable(store: ObjectStore, node: KObject): void {
  const tainted = (node.spec?.taints ?? []).some((t: { key: string }) => t.key === UNSCHEDULABLE)
  if (Boolean(node.spec?.unschedulable) === tainted) return
  store.patch('Node', undefined, node.metadata.name, (o) => {
    const others = (o.spec.taints ?? []).filter((t: { key: string }) => t.key !== UNSCHEDULABLE)
    o.spec.taints = o.spec.unschedulable ? [...others, { key: UNSCHEDULABLE, effect: 'NoSchedule' }] : others
    if (o.spec.taints.length === 0) delete o.spec.taints
  })
}

/** markNodeAsReachable: a node whose kubelet reports again keeps no unreachable taint. */
function markReachable(store: ObjectStore, node: KObject): void {
  if (!(node.spec?.taints ?? []).some((t: { key: string }) => t.key === UNREACHABLE)) return
  store.patch('Node', undefined, node.metadata.name, (o) => {
    o.spec.taints = o.spec.taints.filter((t: { key: string }) => t.key !== UNREACHABLE)
    if (o.spec.taints.length === 0) delete o.spec.taints
  })
}

/**
 * The NoExecute taint manager (pkg/controller/nodelifecycle/scheduler/taint_manager.go): a pod on a node tainted
 * unreachable:NoExecute is marked for deletion once its toleration runs out (getMinTolerationTime: the shortest
 * tolerationSeconds of the tolerations that match; one without seconds tolerates for ever, none evicts at once),
 * counted from the taint's timeAdded. The admission plugin DefaultTolerationSeconds gives every pod 300 s; the
 * DaemonSet controller gives its pods tolerations without seconds. The kubelet that would finish the deletion is
 * down, so the pod stays Terminating until its node is back (or deleted). Returns when the next pod's time ends.
 */
function evictUntolerated(store: ObjectStore, node: KObject, now: number): number {
  const taint = (node.spec?.taints ?? []).find((t: any) => t.key === UNREACHABLE && t.effect === 'NoExecute')
  if (!taint) return Number.POSITIVE_INFINITY
  const added = Date.parse(taint.timeAdded ?? '') || now
  let next = Number.POSITIVE_INFINITY
  for (const pod of store.list('Pod').filter((p) => p.spec?.nodeName === node.metadata.name)) {
    if (pod.metadata.deletionTimestamp || pod.metadata.ownerReferences?.[0]?.kind === 'DaemonSet') continue
    const used = (pod.spec?.tolerations ?? []).filter(
      (t: any) =>
        (!t.effect || t.effect === 'NoExecute') &&
        (t.operator === 'Exists' ? !t.key || t.key === UNREACHABLE : t.key === UNREACHABLE),
    )
    if (used.some((t: any) => t.tolerationSeconds === undefined)) continue
    const seconds = Math.max(0, Math.min(...used.map((t: any) => t.tolerationSeconds)))
    const due = used.length === 0 ? added : added + seconds * 1000
    if (now < due) {
      next = Math.min(next, due)
      continue
    }
    store.patch('Pod', pod.metadata.namespace, pod.metadata.name, (o) => {
      o.metadata.deletionTimestamp = stamp(now)
      o.metadata.deletionGracePeriodSeconds = o.spec.terminationGracePeriodSeconds ?? 30
    })
    recordEvent(store, targetOf(pod), {
      type: 'Normal',
      reason: 'TaintManagerEviction',
      message: `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
      source: { component: 'taint-controller' },
    })
  }
  return next
}

/** A node's kubelet back: the pods marked for deletion while it was away are killed and go. */
function finishDeletions(store: ObjectStore, node: KObject): void {
  for (const pod of store.list('Pod'))
    if (pod.spec?.nodeName === node.metadata.name && pod.metadata.deletionTimestamp)
      store.delete('Pod', pod.metadata.namespace, pod.metadata.name)
}

export class NodeLifecycle implements Controller {
  readonly name = 'node-lifecycle'
  /** The next time a stopped node's grace period ends, and the timer that runs a pass then. */
  private timer: NodeJS.Timeout | null = null
  private due = Number.POSITIVE_INFINITY

  async reconcile(cluster: Cluster): Promise<void> {
    const { store, lab } = cluster
    if (!store.cluster) return
    if (apiServerStopped(lab, store)) return
    const controlPlane = controlPlaneNode(store)
    const since = (controlPlane && nodeStartedAt(lab, controlPlane.metadata.name)) ?? 0
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    for (const node of store.list('Node')) {
      syncUnschedulable(store, node)
      const stoppedAt = nodeStoppedAt(lab, node.metadata.name)
      if (stoppedAt === undefined) {
        finishDeletions(store, node)
        if (!unknown(node)) markReachable(store, node)
        continue
      }
      const due = Math.max(stoppedAt, since) + NODE_MONITOR_GRACE_MS
      if (now < due) {
        next = Math.min(next, due)
        continue
      }
      // The kubelet's last status post: it posts every 5 min while nothing changes (nodeStatusReportFrequency), the
      // heartbeat `kubectl describe node` shows for a running node.
      const created = Date.parse(node.metadata.creationTimestamp ?? '') || stoppedAt
      markUnreachable(store, node, stoppedAt - ((stoppedAt - created) % 300_000), now)
      next = Math.min(next, evictUntolerated(store, store.get('Node', undefined, node.metadata.name)!, now))
    }
    this.wake(cluster, next)
  }

  /** A pass when the next grace period ends (the real controller looks every --node-monitor-period, 5 s). */
  private wake(cluster: Cluster, at: number): void {
    if (at === this.due) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.due = at
    if (!Number.isFinite(at)) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.due = Number.POSITIVE_INFINITY
      cluster.kick()
    }, at - Date.now())
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
