import type { Cluster, Controller } from '../cluster.ts'
import { recordEvent, targetOf } from '../events.ts'
import { templateHash } from '../names.ts'
import { nodeStopped } from '../node-power.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { recordContainerEvents } from './kubelet-events.ts'
import { controllerRef, newPod, ownedBy, podEvent } from './owned-pods.ts'
import { creatingStatus, isPodReady, runningStatus, unschedulableStatus } from './pod-status.ts'
import { RESTARTED_AT, reconcileDeployment, reconcileReplicaSet } from './replica-sets.ts'
import { daemonTolerations, fitError, fits, internalIp } from './scheduling.ts'

/**
 * The DaemonSet controller's history (pkg/controller/daemon/update.go constructHistory, 1.23): a ControllerRevision
 * `<ds>-<hash>` per template, holding it as a patch with the next revision number; a template seen before gets its
 * revision renumbered to the newest, as a rollback does.
 */
function recordDaemonSetRevision(store: ObjectStore, ds: KObject, hash: string): void {
  const ns = ds.metadata.namespace
  const name = `${ds.metadata.name}-${hash}`
  const owned = store.list('ControllerRevision', ns).filter((r) => ownedBy(r, ds))
  const newest = Math.max(0, ...owned.map((r) => r.revision ?? 0))
  const current = owned.find((r) => r.metadata.name === name)
  if (current) {
    if (current.revision !== newest) store.patch('ControllerRevision', ns, name, (o) => void (o.revision = newest + 1))
    return
  }
  store.create({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ns,
      labels: { ...(ds.spec.template.metadata?.labels ?? {}), 'controller-revision-hash': hash },
      annotations: { 'deprecated.daemonset.template.generation': String(ds.metadata.generation ?? 1) },
      ownerReferences: [controllerRef(ds)],
    },
    data: { spec: { template: { ...structuredClone(ds.spec.template), $patch: 'replace' } } },
    revision: newest + 1,
  })
}

/** One pod per node a DaemonSet's pods fit on; pods on nodes they no longer fit are deleted. */
function reconcileDaemonSet(store: ObjectStore, ds: KObject, nodes: KObject[]): void {
  const podSpec = ds.spec.template.spec
  const eligible = nodes.filter((n) => fits(n, podSpec, daemonTolerations(podSpec), true)).map((n) => n.metadata.name)
  const staying = nodes
    .filter((n) => fits(n, podSpec, daemonTolerations(podSpec), true, true))
    .map((n) => n.metadata.name)
  const pods = store.list('Pod', ds.metadata.namespace).filter((p) => ownedBy(p, ds))
  const revision = templateHash(ds.spec.template).slice(0, 9)
  recordDaemonSetRevision(store, ds, revision)
  const images = (spec: KObject['spec']) =>
    JSON.stringify((spec?.containers ?? []).map((c: { image?: string }) => c.image))
  const restartedAt = ds.spec.template.metadata?.annotations?.[RESTARTED_AT]
  for (const pod of pods) {
    // A new image (helm upgrade of Cilium) or a restart replaces the pods, as the RollingUpdate strategy does.
    if (
      staying.includes(pod.spec.nodeName) &&
      images(pod.spec) === images(podSpec) &&
      pod.metadata.annotations?.[RESTARTED_AT] === restartedAt
    )
      continue
    store.delete('Pod', pod.metadata.namespace, pod.metadata.name)
    recordEvent(
      store,
      targetOf(ds),
      podEvent('SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, 'daemonset-controller'),
    )
  }
  const kept = store.list('Pod', ds.metadata.namespace).filter((p) => ownedBy(p, ds))
  for (const node of eligible) {
    if (kept.some((p) => p.spec.nodeName === node)) continue
    const fresh = newPod(store, ds, `${ds.metadata.name}-`, node, { 'controller-revision-hash': revision })
    // A pod carries its template's annotations; the restart's stamp is the one the twin compares.
    if (restartedAt) fresh.metadata.annotations = { [RESTARTED_AT]: restartedAt }
    const pod = store.create(fresh)
    recordEvent(
      store,
      targetOf(ds),
      podEvent('SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'daemonset-controller'),
    )
    // 1.23's DaemonSet controller leaves binding to the scheduler (node affinity for the one node).
    recordScheduled(store, pod, node)
  }
  const current = store.list('Pod', ds.metadata.namespace).filter((p) => ownedBy(p, ds))
  const ready = current.filter(isPodReady).length
  store.patch('DaemonSet', ds.metadata.namespace, ds.metadata.name, (o) => {
    o.status = {
      desiredNumberScheduled: eligible.length,
      currentNumberScheduled: current.length,
      numberReady: ready,
      updatedNumberScheduled: current.length,
      numberAvailable: ready,
      ...(eligible.length - ready > 0 ? { numberUnavailable: eligible.length - ready } : {}),
      numberMisscheduled: 0,
    }
  })
}

/** The scheduler's event for a binding (pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v"). */
const recordScheduled = (store: ObjectStore, pod: KObject, node: string) =>
  recordEvent(store, targetOf(pod), {
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
    source: { component: 'default-scheduler' },
  })

/**
 * The scheduler's event for a pod no node takes (pkg/scheduler/scheduler.go handleSchedulingFailure, 1.23), once per
 * reason: the real one retries with a backoff and counts each retry on the same event, which the twin does not time.
 */
const recordUnschedulable = (store: ObjectStore, pod: KObject, message: string) =>
  recordEvent(store, targetOf(pod), {
    type: 'Warning',
    reason: 'FailedScheduling',
    message,
    source: { component: 'default-scheduler' },
  })

/**
 * The scheduler: binds each unbound pod (Deployment replicas, bare pods) to a node it fits on, spreading pods of one
 * owner (or with the same labels) over the nodes that have fewest of them.
 */
function schedule(store: ObjectStore, nodes: KObject[]): void {
  const sameKind = (a: KObject, b: KObject) =>
    a.metadata.namespace === b.metadata.namespace &&
    (a.metadata.ownerReferences?.[0]?.uid ?? JSON.stringify(a.metadata.labels ?? {})) ===
      (b.metadata.ownerReferences?.[0]?.uid ?? JSON.stringify(b.metadata.labels ?? {}))
  for (const pod of store.list('Pod').filter((p) => !p.spec.nodeName)) {
    const fitting = nodes.filter((n) => fits(n, pod.spec, pod.spec.tolerations ?? [], false))
    const load = (node: string) => store.list('Pod').filter((p) => p.spec.nodeName === node && sameKind(p, pod)).length
    const node = fitting.sort((a, b) => load(a.metadata.name) - load(b.metadata.name))[0]?.metadata.name
    if (node && store.patch('Pod', pod.metadata.namespace, pod.metadata.name, (o) => void (o.spec.nodeName = node)))
      recordScheduled(store, pod, node)
  }
}

/**
 * Everything short of a pod's network: pods without a node stay Pending; host-network pods run with the node's IP;
 * other pods wait in ContainerCreating until the pod-network controller gives them an address.
 */
function reconcilePodStatus(store: ObjectStore, pod: KObject, nodes: KObject[]): void {
  const node = nodes.find((n) => n.metadata.name === pod.spec.nodeName)
  let status: any
  if (!node) {
    const message = fitError(nodes, pod.spec)
    if (pod.status?.conditions?.[0]?.message !== message) recordUnschedulable(store, pod, message)
    status = unschedulableStatus(message)
  } else if (pod.spec.hostNetwork)
    status = runningStatus(
      pod,
      internalIp(node),
      internalIp(node),
      pod.status?.startTime ?? pod.metadata.creationTimestamp!,
    )
  else if (pod.status?.podIP)
    return // the pod network controller owns pods it gave an address
  else status = creatingStatus(pod, internalIp(node))
  store.patch('Pod', pod.metadata.namespace, pod.metadata.name, (o) => void (o.status = status))
}

/** DaemonSet (with its ControllerRevisions), Deployment and ReplicaSet controllers, the garbage collector of what they own, the scheduler, and the kubelet's status of pods that need no network of their own. */
export const workloadsController: Controller = {
  name: 'workloads',
  async reconcile(cluster: Cluster) {
    const store = cluster.store
    if (!store.cluster) return
    const nodes = store.list('Node')
    for (const ds of store.list('DaemonSet')) reconcileDaemonSet(store, ds, nodes)
    for (const deploy of store.list('Deployment')) reconcileDeployment(store, deploy)
    for (const rs of store.list('ReplicaSet')) reconcileReplicaSet(store, rs)
    schedule(store, nodes)
    const deployments = new Set(store.list('Deployment').map((o) => o.metadata.uid))
    for (const rs of store.list('ReplicaSet')) {
      const owner = rs.metadata.ownerReferences?.[0]
      if (owner && !deployments.has(owner.uid)) store.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name)
    }
    const daemonSets = new Set(store.list('DaemonSet').map((o) => o.metadata.uid))
    for (const revision of store.list('ControllerRevision')) {
      const owner = revision.metadata.ownerReferences?.[0]
      if (owner && !daemonSets.has(owner.uid))
        store.delete('ControllerRevision', revision.metadata.namespace, revision.metadata.name)
    }
    const owners = new Set([...store.list('DaemonSet'), ...store.list('ReplicaSet')].map((o) => o.metadata.uid))
    for (const pod of store.list('Pod')) {
      const owner = pod.metadata.ownerReferences?.[0]
      if (owner && !owners.has(owner.uid)) store.delete('Pod', pod.metadata.namespace, pod.metadata.name)
      // A stopped node's kubelet posts no pod status: its pods keep the last one (the node lifecycle controller
      // marks them not ready).
      else if (!nodeStopped(cluster.lab, pod.spec.nodeName ?? '')) reconcilePodStatus(store, pod, nodes)
    }
    recordContainerEvents(store)
  },
}
