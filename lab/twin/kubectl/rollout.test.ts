import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** `kubectl rollout status` with kubectl 1.23's lines, the store changed by the test as controllers would. */
const fake = useFakeCluster('kubectl-rollout-')
const kubectl = (...argv: string[]) => fake.call(kubectlTool, argv)

function createCluster() {
  fake.createKindCluster({ name: 'kind', bare: true })
}

const deployment = (status?: object) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
  },
  ...(status ? { status } : {}),
})

/** Resolves once the command follows the store (it printed the status as it is and waits for changes). */
const following = () => new Promise<void>((resolve) => fake.cluster.store.once('newListener', () => resolve()))

describe('kubectl rollout status', () => {
  it('prints a line per change of the deployment until its replicas are available', async () => {
    createCluster()
    fake.cluster.store.create(deployment())
    const waiting = following()
    const rollout = kubectl('rollout', 'status', 'deployment/nginx')
    await waiting
    const status = (s: object) => fake.cluster.store.patch('Deployment', 'default', 'nginx', (o) => void (o.status = s))
    status({ replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0 })
    status({ replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 })
    status({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })
    expect(await rollout).toEqual({
      exitCode: 0,
      stdout: [
        'Waiting for deployment spec update to be observed...',
        'Waiting for deployment "nginx" rollout to finish: 0 of 2 updated replicas are available...',
        'Waiting for deployment "nginx" rollout to finish: 1 of 2 updated replicas are available...',
        'deployment "nginx" successfully rolled out',
        '',
      ].join('\n'),
      stderr: '',
    })
  })

  it('answers at once for a finished rollout or with --watch=false, and for a daemon set', async () => {
    createCluster()
    fake.cluster.store.create(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }))
    expect(await kubectl('rollout', 'status', 'deploy', 'nginx')).toEqual({
      exitCode: 0,
      stdout: 'deployment "nginx" successfully rolled out\n',
      stderr: '',
    })
    fake.cluster.store.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'cilium', namespace: 'kube-system' },
      spec: { template: { spec: {} } },
      status: { desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 3 },
    })
    expect(await kubectl('rollout', 'status', 'ds/cilium', '-n', 'kube-system', '--watch=false')).toEqual({
      exitCode: 0,
      stdout: 'Waiting for daemon set "cilium" rollout to finish: 3 of 4 updated pods are available...\n',
      stderr: '',
    })
    fake.cluster.store.patch('DaemonSet', 'kube-system', 'cilium', (o) => void (o.status.numberAvailable = 4))
    expect((await kubectl('rollout', 'status', 'daemonset', 'cilium', '-n', 'kube-system')).stdout).toBe(
      'daemon set "cilium" successfully rolled out\n',
    )
  })

  it("ends with kubectl's errors: a deleted object, a timeout, a kind without a status viewer, a missing object", async () => {
    createCluster()
    fake.cluster.store.create(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 0 }))
    const waiting = following()
    const deleted = kubectl('rollout', 'status', 'deployment/nginx')
    await waiting
    fake.cluster.store.delete('Deployment', 'default', 'nginx')
    expect(await deleted).toEqual({
      exitCode: 1,
      stdout: 'Waiting for deployment "nginx" rollout to finish: 0 of 2 updated replicas are available...\n',
      stderr: 'error: object has been deleted\n',
    })
    fake.cluster.store.create(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 0 }))
    expect(await kubectl('rollout', 'status', 'deployment/nginx', '--timeout=20ms')).toMatchObject({
      exitCode: 1,
      stderr: 'error: timed out waiting for the condition\n',
    })
    expect(await kubectl('rollout', 'status', 'svc/kubernetes')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: no status viewer has been implemented for Service\n',
    })
    expect(await kubectl('rollout', 'status', 'deployment/nope')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
    })
    expect(await kubectl('rollout', 'undo', 'deployment/nginx')).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^kubectl: 'rollout undo' is not available in the twin lab\n/),
    })
  })
})
