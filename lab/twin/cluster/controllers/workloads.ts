import type { Cluster, Controller } from '../cluster.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { generateName, templateHash } from '../names.ts'
import { daemonTolerations, fits, internalIp } from './scheduling.ts'
import { creatingStatus, runningStatus, unschedulableStatus } from './pod-status.ts'
import { recordEvent, targetOf, type EventTarget } from '../events.ts'
import { recordContainerEvents } from './kubelet-events.ts'

const ownedBy = (pod: KObject, owner: KObject) => (pod.metadata.ownerReferences ?? []).some(r => r.uid === owner.metadata.uid)

function newPod(store: ObjectStore, owner: KObject, prefix: string, nodeName: string | undefined, extraLabels: Record<string, string> = {}): KObject {
  const ns = owner.metadata.namespace!
  const template = owner.spec.template
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: generateName(prefix, name => store.get('Pod', ns, name) !== undefined),
      namespace: ns,
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ownerReferences: [{ kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid! }],
    },
    spec: { ...structuredClone(template.spec), ...(nodeName ? { nodeName } : {}) },
  }
}

/** One pod per node a DaemonSet's pods fit on; pods on nodes they no longer fit are deleted. */
function reconcileDaemonSet(store: ObjectStore, ds: KObject, nodes: KObject[]): void {
  const podSpec = ds.spec.template.spec
  const eligible = nodes.filter(n => fits(n, podSpec, daemonTolerations(podSpec), true)).map(n => n.metadata.name)
  const pods = store.list('Pod', ds.metadata.namespace).filter(p => ownedBy(p, ds))
  const revision = templateHash(ds.spec.template).slice(0, 9)
  const images = (spec: KObject['spec']) => JSON.stringify((spec?.containers ?? []).map((c: { image?: string }) => c.image))
  for (const pod of pods) {
    // A new image (helm upgrade of Cilium) replaces the pods, as the RollingUpdate strategy does.
    if (eligible.includes(pod.spec.nodeName) && images(pod.spec) === images(podSpec)) continue
    store.delete('Pod', pod.metadata.namespace, pod.metadata.name)
    recordEvent(store, targetOf(ds), podEvent('SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, 'daemonset-controller'))
  }
  const kept = store.list('Pod', ds.metadata.namespace).filter(p => ownedBy(p, ds))
  for (const node of eligible) {
    if (kept.some(p => p.spec.nodeName === node)) continue
    const pod = store.create(newPod(store, ds, `${ds.metadata.name}-`, node, { 'controller-revision-hash': revision }))
    recordEvent(store, targetOf(ds), podEvent('SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'daemonset-controller'))
    // 1.23's DaemonSet controller leaves binding to the scheduler (node affinity for the one node).
    recordScheduled(store, pod, node)
  }
  const current = store.list('Pod', ds.metadata.namespace).filter(p => ownedBy(p, ds))
  const ready = current.filter(p => p.status?.phase === 'Running').length
  store.patch('DaemonSet', ds.metadata.namespace, ds.metadata.name, o => {
    o.status = { desiredNumberScheduled: eligible.length, currentNumberScheduled: current.length, numberReady: ready, updatedNumberScheduled: current.length, numberAvailable: ready, numberMisscheduled: 0 }
  })
}

/** `replicas` pods named `<deploy>-<template hash>-<5 chars>`; the scheduler places them. */
function reconcileDeployment(store: ObjectStore, deploy: KObject): void {
  const hash = deploy.metadata.annotations?.['lab.twin/pod-template-hash'] ?? templateHash(deploy.spec.template)
  const pods = store.list('Pod', deploy.metadata.namespace).filter(p => ownedBy(p, deploy))
  const replicas = deploy.spec.replicas ?? 1
  // The twin keeps no ReplicaSet object, but the events name the one the real deployment controller makes.
  const replicaSet: EventTarget = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deploy.metadata.name}-${hash}`, namespace: deploy.metadata.namespace }
  const scaledFrom = deploy.status?.replicas ?? 0
  if (scaledFrom !== replicas) {
    const message = `Scaled ${replicas > scaledFrom ? 'up' : 'down'} replica set ${replicaSet.name} to ${replicas}`
    recordEvent(store, targetOf(deploy), { type: 'Normal', reason: 'ScalingReplicaSet', message, source: { component: 'deployment-controller' } })
  }
  for (const extra of pods.slice(replicas)) {
    store.delete('Pod', extra.metadata.namespace, extra.metadata.name)
    recordEvent(store, replicaSet, podEvent('SuccessfulDelete', `Deleted pod: ${extra.metadata.name}`, 'replicaset-controller'))
  }
  for (let n = pods.length; n < replicas; n++) {
    const pod = store.create(newPod(store, deploy, `${deploy.metadata.name}-${hash}-`, undefined, { 'pod-template-hash': hash }))
    recordEvent(store, replicaSet, podEvent('SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller'))
  }
  const ready = store.list('Pod', deploy.metadata.namespace).filter(p => ownedBy(p, deploy) && p.status?.phase === 'Running').length
  store.patch('Deployment', deploy.metadata.namespace, deploy.metadata.name, o => {
    o.status = { replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready }
  })
}

/** A workload controller's event about a pod it created or deleted (`Created pod: x`). */
const podEvent = (reason: string, message: string, component: string) => ({ type: 'Normal' as const, reason, message, source: { component } })

/** The scheduler's event for a binding (pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v"). */
const recordScheduled = (store: ObjectStore, pod: KObject, node: string) =>
  recordEvent(store, targetOf(pod), { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, source: { component: 'default-scheduler' } })

/**
 * The scheduler: binds each unbound pod (Deployment replicas, bare pods) to a node it fits on, spreading pods of one
 * owner (or with the same labels) over the nodes that have fewest of them.
 */
function schedule(store: ObjectStore, nodes: KObject[]): void {
  const sameKind = (a: KObject, b: KObject) =>
    a.metadata.namespace === b.metadata.namespace &&
    (a.metadata.ownerReferences?.[0]?.uid ?? JSON.stringify(a.metadata.labels ?? {})) === (b.metadata.ownerReferences?.[0]?.uid ?? JSON.stringify(b.metadata.labels ?? {}))
  for (const pod of store.list('Pod').filter(p => !p.spec.nodeName)) {
    const fitting = nodes.filter(n => fits(n, pod.spec, pod.spec.tolerations ?? [], false))
    const load = (node: string) => store.list('Pod').filter(p => p.spec.nodeName === node && sameKind(p, pod)).length
    const node = fitting.sort((a, b) => load(a.metadata.name) - load(b.metadata.name))[0]?.metadata.name
    if (node && store.patch('Pod', pod.metadata.namespace, pod.metadata.name, o => void (o.spec.nodeName = node))) recordScheduled(store, pod, node)
  }
}

/**
 * Everything short of a pod's network: pods without a node stay Pending; host-network pods run with the node's IP;
 * other pods wait in ContainerCreating until the pod-network controller gives them an address.
 */
function reconcilePodStatus(store: ObjectStore, pod: KObject, nodes: KObject[]): void {
  const node = nodes.find(n => n.metadata.name === pod.spec.nodeName)
  let status: any
  if (!node) status = unschedulableStatus(`0/${nodes.length} nodes are available: ${nodes.length} node(s) had taints that the pod didn't tolerate.`)
  else if (pod.spec.hostNetwork) status = runningStatus(pod, internalIp(node), internalIp(node), pod.status?.startTime ?? pod.metadata.creationTimestamp!)
  else if (pod.status?.podIP) return // the pod network controller owns pods it gave an address
  else status = creatingStatus(pod, internalIp(node))
  store.patch('Pod', pod.metadata.namespace, pod.metadata.name, o => void (o.status = status))
}

/** DaemonSet and Deployment controllers, the scheduler, and the kubelet's status of pods that need no network of their own. */
export const workloadsController: Controller = {
  name: 'workloads',
  async reconcile(cluster: Cluster) {
    const store = cluster.store
    if (!store.cluster) return
    const nodes = store.list('Node')
    for (const ds of store.list('DaemonSet')) reconcileDaemonSet(store, ds, nodes)
    for (const deploy of store.list('Deployment')) reconcileDeployment(store, deploy)
    schedule(store, nodes)
    const owners = new Set([...store.list('DaemonSet'), ...store.list('Deployment')].map(o => o.metadata.uid))
    for (const pod of store.list('Pod')) {
      const owner = pod.metadata.ownerReferences?.[0]
      if (owner && !owners.has(owner.uid)) store.delete('Pod', pod.metadata.namespace, pod.metadata.name)
      else reconcilePodStatus(store, pod, nodes)
    }
    recordContainerEvents(store)
  },
}
