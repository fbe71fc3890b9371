import { describe, expect, it } from 'vitest'
import { workloadsController } from '../cluster/controllers/workloads.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'
import { rfc3339 } from './rollout-restart.ts'

/** `kubectl rollout restart` and `rollout history` on a kind cluster's objects, the workload controllers run by the test. */
const fake = useFakeCluster('kubectl-rollout-restart-')
const kubectl = (...argv: string[]) => fake.call(kubectlTool, argv)
const reconcile = () => workloadsController.reconcile(fake.cluster)

async function createCluster() {
  fake.createKindCluster({ name: 'kind' })
  await reconcile()
}

const names = (kind: string, selector: (labels: Record<string, string>) => boolean) =>
  fake.cluster.store
    .list(kind, 'kube-system')
    .filter((o) => selector(o.metadata.labels ?? {}))
    .map((o) => o.metadata.name)
    .sort()
const dns = (labels: Record<string, string>) => labels['k8s-app'] === 'kube-dns'

describe('kubectl rollout restart', () => {
  it("stamps the template, so the deployment controller makes the next revision's ReplicaSet and new pods", async () => {
    await createCluster()
    const before = names('Pod', dns)
    expect(names('ReplicaSet', dns)).toEqual(['coredns-64897985d'])
    expect(await kubectl('rollout', 'restart', 'deployment/coredns', '-n', 'kube-system')).toEqual({
      exitCode: 0,
      stdout: 'deployment.apps/coredns restarted\n',
      stderr: '',
    })
    const template = fake.cluster.store.get('Deployment', 'kube-system', 'coredns')!.spec.template
    expect(template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/,
    )
    await reconcile()
    const sets = fake.cluster.store.list('ReplicaSet', 'kube-system').filter((rs) => dns(rs.metadata.labels ?? {}))
    expect(
      sets
        .map((rs) => [
          rs.metadata.name === 'coredns-64897985d',
          rs.spec.replicas,
          rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
        ])
        .sort(),
    ).toEqual([
      [false, 2, '2'],
      [true, 0, '1'],
    ])
    const after = names('Pod', dns)
    expect(after).toHaveLength(2)
    expect(after.filter((name) => before.includes(name))).toEqual([])
    const fresh = sets.find((rs) => rs.metadata.name !== 'coredns-64897985d')!
    expect(after.every((name) => name.startsWith(`${fresh.metadata.name}-`))).toBe(true)
  })

  it("replaces a daemon set's pods", async () => {
    await createCluster()
    const proxy = (labels: Record<string, string>) => labels['k8s-app'] === 'kube-proxy'
    const before = names('Pod', proxy)
    expect(before).toHaveLength(1)
    expect((await kubectl('rollout', 'restart', 'ds', 'kube-proxy', '-n', 'kube-system')).stdout).toBe(
      'daemonset.apps/kube-proxy restarted\n',
    )
    await reconcile()
    const after = names('Pod', proxy)
    expect(after).toHaveLength(1)
    expect(after).not.toEqual(before)
    await reconcile()
    expect(names('Pod', proxy)).toEqual(after)
  })

  it('refuses what kubectl refuses, per object', async () => {
    await createCluster()
    expect(await kubectl('rollout', 'restart', 'svc/kube-dns', '-n', 'kube-system')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: services "kube-dns" restarting is not supported\n',
    })
    fake.cluster.store.patch('Deployment', 'kube-system', 'coredns', (o) => void (o.spec.paused = true))
    expect(await kubectl('rollout', 'restart', 'deploy/coredns', 'ds/kube-proxy', '-n', 'kube-system')).toEqual({
      exitCode: 1,
      stdout: 'daemonset.apps/kube-proxy restarted\n',
      stderr: 'error: deployments.apps "coredns" can\'t restart paused deployment (run rollout resume first)\n',
    })
    expect(await kubectl('rollout', 'restart')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: required resource not specified\n',
    })
    expect(await kubectl('rollout', 'restart', 'deployments', '-n', 'local-path-storage')).toEqual({
      exitCode: 0,
      stdout: 'deployment.apps/local-path-provisioner restarted\n',
      stderr: '',
    })
    expect(await kubectl('rollout', 'restart', 'deploy/nope')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
    })
  })

  it("writes RFC 3339 as Go does, in the host's zone", () => {
    const at = new Date('2026-12-03T16:40:05.750Z')
    const offset = -at.getTimezoneOffset()
    expect(rfc3339(at)).toBe(
      offset === 0 ? '2026-12-03T16:40:05Z' : expect.stringMatching(/^2026-12-0\dT\d\d:\d\d:05[+-]\d\d:\d\d$/),
    )
  })
})

describe('kubectl rollout history', () => {
  it("lists each revision of a deployment in kubectl 1.23's layout, and prints one revision's template", async () => {
    await createCluster()
    expect(await kubectl('rollout', 'history', 'deploy/coredns', '-n', 'kube-system')).toEqual({
      exitCode: 0,
      stdout: 'deployment.apps/coredns \nREVISION  CHANGE-CAUSE\n1         <none>\n\n',
      stderr: '',
    })
    await kubectl('rollout', 'restart', 'deploy/coredns', '-n', 'kube-system')
    await reconcile()
    const fresh = fake.cluster.store
      .list('ReplicaSet', 'kube-system')
      .find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2')!
    fake.cluster.store.patch(
      'ReplicaSet',
      'kube-system',
      fresh.metadata.name,
      (o) => void (o.metadata.annotations!['kubernetes.io/change-cause'] = 'kubectl rollout restart'),
    )
    expect((await kubectl('rollout', 'history', 'deployment', 'coredns', '-n', 'kube-system')).stdout).toBe(
      'deployment.apps/coredns \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl rollout restart\n\n',
    )
    const stamp = fresh.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']
    const hash = fresh.metadata.labels!['pod-template-hash']
    const revision = await kubectl('rollout', 'history', 'deploy/coredns', '-n', 'kube-system', '--revision=2')
    expect(revision.stdout.split('\n').slice(0, 7)).toEqual([
      'deployment.apps/coredns with revision #2',
      'Pod Template:',
      '  Labels:       k8s-app=kube-dns',
      `                pod-template-hash=${hash}`,
      `  Annotations:  kubectl.kubernetes.io/restartedAt: ${stamp}`,
      '                kubernetes.io/change-cause: kubectl rollout restart',
      '  Containers:',
    ])
    expect(revision.stdout).toMatch(
      /\n {2}Containers:\n {3}coredns:\n {4}Image: +k8s.gcr.io\/coredns\/coredns:v1.8.6\n/,
    )
    expect(revision.stdout.endsWith('\n\n')).toBe(true)
    expect(await kubectl('rollout', 'history', 'deploy/coredns', '-n', 'kube-system', '--revision=7')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: unable to find the specified revision\n',
    })
  })

  it("lists a daemon set's ControllerRevisions, one per template, and prints one", async () => {
    await createCluster()
    expect(await kubectl('rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system')).toEqual({
      exitCode: 0,
      stdout: 'daemonset.apps/kube-proxy \nREVISION  CHANGE-CAUSE\n1         <none>\n\n',
      stderr: '',
    })
    await kubectl('rollout', 'restart', 'ds/kube-proxy', '-n', 'kube-system')
    await reconcile()
    expect((await kubectl('rollout', 'history', 'daemonset', 'kube-proxy', '-n', 'kube-system')).stdout).toBe(
      'daemonset.apps/kube-proxy \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n',
    )
    const stamp = fake.cluster.store.get('DaemonSet', 'kube-system', 'kube-proxy')!.spec.template.metadata.annotations[
      'kubectl.kubernetes.io/restartedAt'
    ]
    const second = (await kubectl('rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system', '--revision=2')).stdout
    expect(second).toMatch(
      new RegExp(
        `^daemonset.apps/kube-proxy with revision #2\\nPod Template:\\n  Labels: +k8s-app=kube-proxy\\n  Annotations: +kubectl.kubernetes.io/restartedAt: ${stamp}\\n`,
      ),
    )
    expect(
      (await kubectl('rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system', '--revision=1')).stdout,
    ).not.toContain('restartedAt')
    const revisions = await kubectl('get', 'controllerrevisions', '-n', 'kube-system', '--no-headers')
    expect(revisions.stdout).toMatch(
      /^kube-proxy-\w{9} +daemonset\.apps\/kube-proxy +1 +\d+s\nkube-proxy-\w{9} +daemonset\.apps\/kube-proxy +2 +\d+s\n$|^kube-proxy-\w{9} +daemonset\.apps\/kube-proxy +2 +\d+s\nkube-proxy-\w{9} +daemonset\.apps\/kube-proxy +1 +\d+s\n$/,
    )
    await kubectl('delete', 'ds', 'kube-proxy', '-n', 'kube-system')
    await reconcile()
    expect(fake.cluster.store.list('ControllerRevision')).toEqual([])
  })

  it("answers kubectl's errors", async () => {
    await createCluster()
    expect(await kubectl('rollout', 'history', 'svc/kube-dns', '-n', 'kube-system')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: no history viewer has been implemented for "Service"\n',
    })
    expect(await kubectl('rollout', 'history', 'deploy/coredns', '-n', 'kube-system', '--revision=-1')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: revision must be a positive integer: -1\n',
    })
    expect(await kubectl('rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system', '--revision=3')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: unable to find the specified revision\n',
    })
  })
})
