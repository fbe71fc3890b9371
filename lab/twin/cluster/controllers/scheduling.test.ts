import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../fake-cluster.ts'
import type { KObject } from '../store.ts'
import { fitError } from './scheduling.ts'
import { workloadsController } from './workloads.ts'

const node = (name: string, spec: KObject['spec'], labels: Record<string, string> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  spec,
})
const notReady = { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }

describe("the scheduler's reasons (1.23 FitError)", () => {
  it('counts each node under its first failing filter, sorted as strings, as the 1.23 scheduler words it', () => {
    const nodes = [
      node('a', notReady),
      node('b', { unschedulable: true, ...notReady }),
      node('c', {}, { rack: 'rack1' }),
      node('d', notReady),
    ]
    expect(fitError(nodes, { nodeSelector: { rack: 'rack0' } })).toBe(
      "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable, 2 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.",
    )
    expect(fitError([], {})).toBe('no nodes available to schedule pods')
  })

  const fake = useFakeCluster('scheduling-')

  it('leaves coredns Pending on NotReady nodes with a FailedScheduling event that says why', async () => {
    fake.createKindCluster({
      nodes: ['control-plane', 'worker', 'worker2', 'worker3'].map((n, i) => ({
        name: `clab-bgp-${n}`,
        role: i === 0 ? ('control-plane' as const) : ('worker' as const),
        labels: {},
      })),
    })
    const { store } = fake.cluster
    // Twice: a second pass with the same reason records no second event.
    await workloadsController.reconcile(fake.cluster)
    await workloadsController.reconcile(fake.cluster)
    const why =
      "0/4 nodes are available: 4 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate."
    const coredns = store.list('Pod', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns')
    expect(coredns).toHaveLength(2)
    for (const pod of coredns) {
      expect(pod.status.phase).toBe('Pending')
      expect(pod.status.conditions).toEqual([
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: why },
      ])
      const events = store.list('Event', 'kube-system').filter((e) => e.involvedObject.name === pod.metadata.name)
      expect(events.map((e) => [e.type, e.reason, e.source.component, e.message, e.count])).toEqual([
        ['Warning', 'FailedScheduling', 'default-scheduler', why, 1],
      ])
    }
  })
})
