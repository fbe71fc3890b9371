import { describe, expect, it } from 'vitest'
import type { ContainerInfo } from '../../context.ts'
import { markStarted, markStopped } from '../../docker/container-state.ts'
import { kubectlTool } from '../../kubectl/kubectl.ts'
import { useFakeCluster } from '../fake-cluster.ts'
import { addKindNode } from '../fake-lab.ts'
import { NODE_MONITOR_GRACE_MS, NodeLifecycle } from './node-lifecycle.ts'
import { NodesController } from './nodes.ts'

/** The node lifecycle controller over a store with two Ready nodes whose containers docker stops and starts. */
const fake = useFakeCluster('node-lifecycle-')
const WORKER = 'clab-bgp-worker'
const CONTROL_PLANE = 'clab-bgp-control-plane'

function createCluster(): Record<string, ContainerInfo> {
  fake.createKindCluster({
    nodes: [
      { name: CONTROL_PLANE, role: 'control-plane', labels: {} },
      { name: WORKER, role: 'worker', labels: {} },
    ],
  })
  const containers: Record<string, ContainerInfo> = {}
  for (const name of [CONTROL_PLANE, WORKER]) {
    // What Cilium's agent leaves on a running node: Ready, the not-ready taint gone.
    fake.cluster.store.patch('Node', undefined, name, (o) => {
      o.status.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }]
      delete o.spec.taints
    })
    containers[name] = addKindNode(fake.lab, name, Date.now() - 600_000)
  }
  fake.cluster.store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: WORKER, containers: [{ name: 'web', image: 'nginx' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  })
  return containers
}

const node = (name = WORKER) => fake.cluster.store.get('Node', undefined, name)!
const events = (reason: string) =>
  fake.cluster.store
    .list('Event')
    .filter((e) => e.reason === reason)
    .map((e) => `${e.type} ${e.involvedObject.kind}/${e.involvedObject.name} ${e.source.component}: ${e.message}`)

describe('the node lifecycle controller', () => {
  it('leaves a stopped node alone during the grace period, then marks it Unknown, unreachable and its pods not ready', async () => {
    const containers = createCluster()
    const controller = new NodeLifecycle()
    markStopped(containers[WORKER], Date.now() - NODE_MONITOR_GRACE_MS + 60_000)
    await controller.reconcile(fake.cluster)
    expect(node().status.conditions).toEqual([{ type: 'Ready', status: 'True', reason: 'KubeletReady' }])
    expect(events('NodeNotReady')).toEqual([])

    markStopped(containers[WORKER], Date.now() - NODE_MONITOR_GRACE_MS - 1000)
    await controller.reconcile(fake.cluster)
    await controller.stop()
    expect(node().status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message])).toEqual(
      ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => [
        type,
        'Unknown',
        'NodeStatusUnknown',
        'Kubelet stopped posting node status.',
      ]),
    )
    expect(node().spec.taints.map((t: any) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ])
    expect((await fake.call(kubectlTool, ['get', 'nodes'])).stdout).toMatch(
      new RegExp(`\\n${WORKER} +NotReady +<none> `),
    )
    expect(events('NodeNotReady')).toEqual([
      `Normal Node/${WORKER} node-controller: Node ${WORKER} status is now: NodeNotReady`,
      'Warning Pod/web-1 node-controller: Node is not ready',
    ])
    const pod = fake.cluster.store.get('Pod', 'default', 'web-1')!
    expect(pod.status.conditions[0]).toMatchObject({ type: 'Ready', status: 'False' })
    expect(pod.status.phase).toBe('Running')
  })

  it("marks a pod for deletion once its 300 s toleration of unreachable has run out, and the kubelet's return removes it", async () => {
    const containers = createCluster()
    const controller = new NodeLifecycle()
    fake.cluster.store.patch('Pod', 'default', 'web-1', (o) => {
      o.spec.tolerations = [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ]
    })
    markStopped(containers[WORKER], Date.now() - NODE_MONITOR_GRACE_MS - 1000)
    await controller.reconcile(fake.cluster)
    expect(fake.cluster.store.get('Pod', 'default', 'web-1')?.metadata).not.toHaveProperty('deletionTimestamp')
    // The taint went on 301 s ago.
    fake.cluster.store.patch('Node', undefined, WORKER, (o) => {
      o.spec.taints[0].timeAdded = new Date(Date.now() - 301_000).toISOString().replace(/\.\d+Z$/, 'Z')
    })
    await controller.reconcile(fake.cluster)
    expect(fake.cluster.store.get('Pod', 'default', 'web-1')?.metadata.deletionTimestamp).toMatch(/Z$/)
    expect(events('TaintManagerEviction')).toEqual([
      'Normal Pod/web-1 taint-controller: Marking for deletion Pod default/web-1',
    ])
    expect((await fake.call(kubectlTool, ['get', 'pod', 'web-1', '--no-headers'])).stdout).toMatch(
      /^web-1 +0\/1 +Terminating /,
    )
    markStarted(containers[WORKER])
    await controller.reconcile(fake.cluster)
    await controller.stop()
    expect(fake.cluster.store.get('Pod', 'default', 'web-1')).toBeUndefined()
  })

  it('a node without a CNI: unreachable replaces not-ready, and its kubelet reports NotReady again once started', async () => {
    fake.createKindCluster({
      nodes: [
        { name: CONTROL_PLANE, role: 'control-plane', labels: {} },
        { name: WORKER, role: 'worker', labels: {} },
      ],
    })
    const info = addKindNode(fake.lab, WORKER, Date.now() - 600_000)
    const lifecycle = new NodeLifecycle()
    const kubelets = new NodesController()
    await kubelets.reconcile(fake.cluster)
    markStopped(info, Date.now() - NODE_MONITOR_GRACE_MS - 1000)
    await lifecycle.reconcile(fake.cluster)
    expect(node().spec.taints.map((t: any) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ])
    markStarted(info)
    await kubelets.reconcile(fake.cluster)
    await lifecycle.reconcile(fake.cluster)
    await lifecycle.stop()
    expect(node().status.conditions).toMatchObject([{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }])
    expect(node().spec).not.toHaveProperty('taints')
    // The one start event of its kubelet, recorded again.
    const started = fake.cluster.store
      .list('Event')
      .filter((e) => e.involvedObject.name === WORKER && e.message === 'Starting kubelet.')
    expect(started.map((e) => e.count)).toEqual([2])
  })

  it('removes the unreachable taints once the kubelet reports Ready again', async () => {
    const containers = createCluster()
    const controller = new NodeLifecycle()
    markStopped(containers[WORKER], Date.now() - NODE_MONITOR_GRACE_MS - 1000)
    await controller.reconcile(fake.cluster)
    markStarted(containers[WORKER])
    fake.cluster.store.patch('Node', undefined, WORKER, (o) => {
      o.status.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }]
    })
    await controller.reconcile(fake.cluster)
    expect(node().spec).not.toHaveProperty('taints')
  })

  it('marks nothing while the control plane node (its kube-controller-manager) is stopped', async () => {
    const containers = createCluster()
    const controller = new NodeLifecycle()
    markStopped(containers[CONTROL_PLANE], Date.now() - NODE_MONITOR_GRACE_MS - 1000)
    markStopped(containers[WORKER], Date.now() - NODE_MONITOR_GRACE_MS - 1000)
    await controller.reconcile(fake.cluster)
    expect(node(CONTROL_PLANE).status.conditions[0].status).toBe('True')
    expect(node().status.conditions[0].status).toBe('True')
    // Started again, kube-controller-manager gives every node a full grace period from its own start.
    markStarted(containers[CONTROL_PLANE])
    await controller.reconcile(fake.cluster)
    await controller.stop()
    expect(node().status.conditions[0].status).toBe('True')
  })
})
