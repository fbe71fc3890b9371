import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** `kubectl wait` with kubectl 1.23's lines, the store changed by the test as controllers would. */
const fake = useFakeCluster('kubectl-wait-')
const kubectl = (...argv: string[]) => fake.call(kubectlTool, argv)

/** Resolves once the command follows the store (the condition was not met yet). */
const following = () => new Promise<void>((resolve) => fake.cluster.store.once('newListener', () => resolve()))

const ready = (status: 'True' | 'False') => ({
  conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady' }],
})

function nodes() {
  fake.createKindCluster({
    bare: true,
    nodes: ['control-plane', 'worker'].map((n, i) => ({
      name: `clab-bgp-${n}`,
      role: i === 0 ? ('control-plane' as const) : ('worker' as const),
      labels: {},
    })),
  })
  for (const name of ['clab-bgp-control-plane', 'clab-bgp-worker'])
    fake.cluster.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: ready('False') })
}
const setReady = (name: string, status: 'True' | 'False') =>
  fake.cluster.store.patch('Node', undefined, name, (o) => void (o.status = ready(status)))

describe('kubectl wait', () => {
  it('waits until the condition is met, then prints it per object in turn', async () => {
    nodes()
    const waiting = following()
    const done = kubectl('wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=10s')
    await waiting
    setReady('clab-bgp-worker', 'True')
    setReady('clab-bgp-control-plane', 'True')
    expect(await done).toEqual({
      exitCode: 0,
      stdout: 'node/clab-bgp-control-plane condition met\nnode/clab-bgp-worker condition met\n',
      stderr: '',
    })
    expect(await kubectl('wait', '--for=condition=ready=TRUE', 'node/clab-bgp-worker')).toMatchObject({
      stdout: 'node/clab-bgp-worker condition met\n',
    })
  })

  it("gives up with the wait package's error on the first object past --timeout (0: check once)", async () => {
    nodes()
    expect(await kubectl('wait', '--for=condition=Ready', 'node/clab-bgp-worker', '--timeout=30ms')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: timed out waiting for the condition on nodes/clab-bgp-worker\n',
    })
    expect((await kubectl('wait', '--for=condition=Ready=false', 'node/clab-bgp-worker', '--timeout=0')).stdout).toBe(
      'node/clab-bgp-worker condition met\n',
    )
  })

  it('waits for a deletion, a missing object counting as deleted', async () => {
    nodes()
    const waiting = following()
    const done = kubectl('wait', '--for=delete', 'node/clab-bgp-worker', 'node/gone', '--timeout=10s')
    await waiting
    fake.cluster.store.delete('Node', undefined, 'clab-bgp-worker')
    expect(await done).toEqual({ exitCode: 0, stdout: 'node/clab-bgp-worker condition met\n', stderr: '' })
  })

  it('compares a JSONPath value', async () => {
    nodes()
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'busybox' }] },
      status: { phase: 'Running' },
    })
    expect(await kubectl('wait', '--for=jsonpath={.status.phase}=Running', 'pod/web')).toMatchObject({
      exitCode: 0,
      stdout: 'pod/web condition met\n',
    })
  })

  it("refuses what kubectl refuses, in its words (checked against the real binary's)", async () => {
    nodes()
    expect((await kubectl('wait', 'node/clab-bgp-worker')).stderr).toBe('error: unrecognized condition: ""\n')
    expect((await kubectl('wait', '--for=bogus', 'node/clab-bgp-worker')).stderr).toBe(
      'error: unrecognized condition: "bogus"\n',
    )
    expect((await kubectl('wait', '--for=jsonpath={.status}', 'node/x')).stderr).toBe(
      "error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3\n",
    )
    expect((await kubectl('wait', '--for=condition=Ready', 'nodes')).stderr).toBe(
      'error: resource(s) were provided, but no name was specified\n',
    )
    expect((await kubectl('wait', '--for=condition=Ready', 'node/nope')).stderr).toBe(
      'Error from server (NotFound): nodes "nope" not found\n',
    )
    expect((await kubectl('wait', '--for=condition=Ready', 'pods', '-l', 'app=none')).stderr).toBe(
      'error: no matching resources found\n',
    )
  })
})
