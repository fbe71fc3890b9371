/**
 * kubectl on a pod no node took (coredns before a CNI makes the nodes Ready): the API server has no kubelet to ask,
 * so a log is empty and an exec is refused (pkg/registry/core/pod/strategy.go LogLocation and streamLocation, 1.23).
 */
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-unscheduled-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function pendingPods() {
  fake.createKindCluster()
  for (const name of ['dns-a', 'dns-b'])
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: 'dns' } },
      spec: { containers: [{ name: 'coredns', image: 'k8s.gcr.io/coredns/coredns:v1.8.6' }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
    })
}

describe('kubectl on a pod no node took', () => {
  it('logs: an empty log and exit 0, by name and by selector', async () => {
    pendingPods()
    expect(await kubectl(['logs', 'dns-a'])).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(await kubectl(['logs', '-l', 'app=dns'])).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('exec: refused as the API server does, after the container name is checked', async () => {
    pendingPods()
    expect(await kubectl(['exec', 'dns-a', '--', 'cat', '/etc/resolv.conf'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (BadRequest): pod dns-a does not have a host assigned\n',
    })
    expect((await kubectl(['exec', 'dns-a', '-c', 'nope', '--', 'ls'])).stderr).toBe(
      'Error from server (BadRequest): container nope is not valid for pod dns-a\n',
    )
  })
})
