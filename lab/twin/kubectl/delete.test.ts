import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** A four-node cluster with one Cilium agent per node, as after the course's helm install (no controllers run). */
const fake = useFakeCluster('kubectl-delete-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)
const NODES = ['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker2', 'clab-bgp-worker3']

function createCluster() {
  fake.createKindCluster({
    nodes: NODES.map((name, i) => ({
      name,
      role: i === 0 ? ('control-plane' as const) : ('worker' as const),
      labels: { rack: i < 2 ? 'rack0' : 'rack1' },
    })),
  })
  NODES.forEach((node, i) => {
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `cilium-agent${i}`, namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } },
      spec: { nodeName: node, containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.13.0-rc5' }] },
      status: { phase: i === 3 ? 'Pending' : 'Running' },
    })
  })
}

const agents = () =>
  fake.cluster.store
    .list('Pod', 'kube-system')
    .filter((p) => p.metadata.labels?.['k8s-app'] === 'cilium')
    .map((p) => p.spec.nodeName)

describe('kubectl delete honours every selector', () => {
  it('deletes only the agent on the node the field selector names', async () => {
    createCluster()
    const result = await kubectl([
      'delete',
      'pod',
      '-n',
      'kube-system',
      '-l',
      'k8s-app=cilium',
      '--field-selector',
      'spec.nodeName=clab-bgp-worker2',
    ])
    expect(result).toEqual({ exitCode: 0, stdout: 'pod "cilium-agent2" deleted\n', stderr: '' })
    expect(agents()).toEqual(['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker3'])
  })

  it('reads =, ==, != and comma lists; status.phase and metadata fields', async () => {
    createCluster()
    expect(
      (
        await kubectl([
          'delete',
          'pods',
          '-n',
          'kube-system',
          '-l',
          'k8s-app=cilium',
          '--field-selector',
          'status.phase!=Running',
          '-o',
          'name',
        ])
      ).stdout,
    ).toBe('pod/cilium-agent3\n')
    expect(
      (
        await kubectl([
          'delete',
          'pods',
          '-n',
          'kube-system',
          '-l',
          'k8s-app==cilium',
          '--field-selector=spec.nodeName!=clab-bgp-worker,metadata.name==cilium-agent0',
        ])
      ).stdout,
    ).toBe('pod "cilium-agent0" deleted\n')
    expect(agents()).toEqual(['clab-bgp-worker', 'clab-bgp-worker2'])
    expect(
      (
        await kubectl([
          'delete',
          'pods',
          '-A',
          '--field-selector',
          'metadata.namespace=kube-system,spec.nodeName=clab-bgp-worker',
          '-l',
          'k8s-app',
        ])
      ).stdout,
    ).toBe('pod "cilium-agent1" deleted\n')
    expect(agents()).toEqual(['clab-bgp-worker2'])
  })

  it('refuses a field the API server does not index and deletes nothing', async () => {
    createCluster()
    expect(
      await kubectl([
        'delete',
        'pod',
        '-n',
        'kube-system',
        '-l',
        'k8s-app=cilium',
        '--field-selector',
        'spec.hostname=x',
      ]),
    ).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "k8s-app=cilium", field selector "spec.hostname=x": field label not supported: spec.hostname\n',
    })
    expect(agents()).toHaveLength(4)
  })

  it('label selectors in all their forms', async () => {
    createCluster()
    fake.cluster.store.patch(
      'Pod',
      'kube-system',
      'cilium-agent1',
      (o) => void (o.metadata.labels = { ...o.metadata.labels, tier: '2' }),
    )
    fake.cluster.store.patch(
      'Pod',
      'kube-system',
      'cilium-agent2',
      (o) => void (o.metadata.labels = { ...o.metadata.labels, tier: '5' }),
    )
    const names = async (selector: string) =>
      (await kubectl(['get', 'pods', '-n', 'kube-system', '-l', selector, '-o', 'name'])).stdout
        .trim()
        .split('\n')
        .filter(Boolean)
    expect(await names('tier in (2,3)')).toEqual(['pod/cilium-agent1'])
    expect(await names('k8s-app=cilium,tier notin (2)')).toEqual([
      'pod/cilium-agent0',
      'pod/cilium-agent2',
      'pod/cilium-agent3',
    ])
    expect(await names('tier!=5,k8s-app')).toEqual(['pod/cilium-agent0', 'pod/cilium-agent1', 'pod/cilium-agent3'])
    expect(await names('k8s-app,!tier')).toEqual(['pod/cilium-agent0', 'pod/cilium-agent3'])
    expect(await names('tier>3')).toEqual(['pod/cilium-agent2'])
    expect(await names('tier=2,tier=5')).toEqual([])
    expect((await kubectl(['get', 'pods', '-l', 'tier in ()'])).stderr).toBe(
      "error: for 'in', 'notin' operators, values set can't be empty\n",
    )
  })

  it('--dry-run=client|server and --dry-run print what would go and change nothing', async () => {
    createCluster()
    const base = [
      'delete',
      'pods',
      '-n',
      'kube-system',
      '-l',
      'k8s-app=cilium',
      '--field-selector',
      'spec.nodeName=clab-bgp-worker',
    ]
    expect((await kubectl([...base, '--dry-run=client'])).stdout).toBe('pod "cilium-agent1" deleted (dry run)\n')
    expect((await kubectl([...base, '--dry-run=server'])).stdout).toBe('pod "cilium-agent1" deleted (server dry run)\n')
    const bare = await kubectl([...base, '--dry-run'])
    expect(bare.stdout).toBe('pod "cilium-agent1" deleted (dry run)\n')
    expect(bare.stderr).toMatch(/^W\d{4} .*\] --dry-run is deprecated and can be replaced with --dry-run=client\.\n$/)
    expect(
      (await kubectl(['taint', 'nodes', NODES[0], 'node-role.kubernetes.io/master:NoSchedule-', '--dry-run=client']))
        .stdout,
    ).toBe(`node/${NODES[0]} untainted (dry run)\n`)
    expect((await kubectl(['label', 'nodes', NODES[1], 'rack=rack9', '--overwrite', '--dry-run=server'])).stdout).toBe(
      `node/${NODES[1]} labeled (server dry run)\n`,
    )
    expect(
      (await kubectl(['scale', 'deploy/coredns', '-n', 'kube-system', '--replicas=5', '--dry-run=client'])).stdout,
    ).toBe('deployment.apps/coredns scaled (dry run)\n')
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cni\nspec:\n  ports:\n  - port: 80\n'
    expect((await fake.call(kubectlTool, ['apply', '-f', '-', '--dry-run=server'], svc)).stdout).toBe(
      'service/cni created (server dry run)\n',
    )
    expect((await kubectl(['delete', 'pods', '--all', '-A', '--dry-run=bogus'])).stderr).toBe(
      'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".\n',
    )
    expect(agents()).toHaveLength(4)
    expect(fake.cluster.store.get('Node', undefined, NODES[0])!.spec.taints).toContainEqual({
      key: 'node-role.kubernetes.io/master',
      effect: 'NoSchedule',
    })
    expect(fake.cluster.store.get('Node', undefined, NODES[1])!.metadata.labels!.rack).toBe('rack0')
    expect(fake.cluster.store.get('Deployment', 'kube-system', 'coredns')!.spec.replicas).toBe(2)
    expect(fake.cluster.store.get('Service', 'default', 'cni')).toBeUndefined()
  })

  it('takes --grace-period, --force, --now and --wait as kubectl does', async () => {
    createCluster()
    const agent = (i: number) => ['delete', 'pod', `cilium-agent${i}`, '-n', 'kube-system']
    expect(await kubectl([...agent(0), '--grace-period=0', '--force'])).toEqual({
      exitCode: 0,
      stdout: 'pod "cilium-agent0" force deleted\n',
      stderr:
        'warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    })
    expect(await kubectl([...agent(1), '--now', '--wait=false'])).toEqual({
      exitCode: 0,
      stdout: 'pod "cilium-agent1" deleted\n',
      stderr: '',
    })
    expect(await kubectl([...agent(2), '--force', '--grace-period=30'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: --force and --grace-period greater than 0 cannot be specified together\n',
    })
    expect(await kubectl([...agent(2), '--now', '--grace-period=5'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: --now and --grace-period cannot be specified together\n',
    })
    expect(await kubectl(['delete', 'pods', '-n', 'kube-system', '--all', '-l', 'k8s-app=cilium'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: cannot set --all and --selector at the same time\n',
    })
    expect(await kubectl(['delete', 'pods', '-n', 'kube-system', '--field-selector', 'spec.nodeName=nowhere'])).toEqual(
      { exitCode: 0, stdout: 'No resources found\n', stderr: '' },
    )
    expect(
      await kubectl(['delete', 'pods', 'cilium-agent2', '-n', 'kube-system', '-l', 'k8s-app=cilium']),
    ).toMatchObject({ exitCode: 1, stderr: 'error: name cannot be provided when a selector is specified\n' })
    expect(await kubectl(['delete', 'pods', 'cilium-agent2', '-n', 'kube-system', '--cascade=orphan'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^kubectl: 'delete --cascade=orphan' is not available in the twin lab\n/),
    })
    expect(agents()).toEqual(['clab-bgp-worker2', 'clab-bgp-worker3'])
  })
})
