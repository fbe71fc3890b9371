/**
 * kubectl describe of a CoreDNS pod before any CNI: the pod as kubeadm 1.23 deploys it (priority, tolerations,
 * node selector, resources, arguments, ports) and why no node took it, tolerations sorted by key as describe.go
 * prints them.
 */
import { describe, expect, it } from 'vitest'
import { workloadsController } from '../cluster/controllers/workloads.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-describe-coredns-')

describe('kubectl describe pod of CoreDNS before a CNI', () => {
  it('shows the kubeadm pod and the FailedScheduling event', async () => {
    fake.createKindCluster({
      nodes: ['control-plane', 'worker'].map((n, i) => ({
        name: `clab-bgp-${n}`,
        role: i === 0 ? ('control-plane' as const) : ('worker' as const),
        labels: {},
      })),
    })
    await workloadsController.reconcile(fake.cluster)
    const { stdout } = await fake.call(kubectlTool, ['describe', 'pod', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])
    const first = stdout.split('\n\n\n')[0]
    expect(first).toMatch(/^Priority: {13}2000000000\nPriority Class Name: {2}system-cluster-critical$/m)
    expect(first).toMatch(/^ {4}Args:\n {6}-conf\n {6}\/etc\/coredns\/Corefile$/m)
    expect(first).toMatch(/^ {4}Ports: {7}53\/UDP, 53\/TCP, 9153\/TCP$/m)
    expect(first).toMatch(/^QoS Class: {19}Burstable\nNode-Selectors: {14}kubernetes\.io\/os=linux$/m)
    expect(first).toContain(
      [
        'Tolerations:                 CriticalAddonsOnly op=Exists',
        '                             node-role.kubernetes.io/control-plane:NoSchedule',
        '                             node-role.kubernetes.io/master:NoSchedule',
        '                             node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
      ].join('\n'),
    )
    expect(first).toMatch(
      /^ {2}Warning {2}FailedScheduling {2}\d+s {4}default-scheduler {2}0\/2 nodes are available: 2 node\(s\) had taint \{node\.kubernetes\.io\/not-ready: \}, that the pod didn't tolerate\.$/m,
    )
  })
})
