import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'
import { type Json, jsonPatch, mergePatch, strategicMerge } from './patch-strategies.ts'

const fake = useFakeCluster('kubectl-patch-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function createCluster() {
  fake.createKindCluster({ cilium: true })
}

const deployment = () => fake.cluster.store.get('Deployment', 'kube-system', 'coredns')!

describe('patch strategies', () => {
  it('strategic merge merges lists on their merge key; merge and json replace or address them', () => {
    const spec: { containers: Json[] } = {
      containers: [
        { name: 'a', image: 'x', ports: [{ containerPort: 80 }] },
        { name: 'b', image: 'y' },
      ],
    }
    expect(strategicMerge(spec, { containers: [{ name: 'b', image: 'z' }] })).toEqual({
      containers: [spec.containers[0], { name: 'b', image: 'z' }],
    })
    expect(strategicMerge(spec, { containers: [{ name: 'a', $patch: 'delete' }] })).toEqual({
      containers: [{ name: 'b', image: 'y' }],
    })
    expect(mergePatch(spec, { containers: [{ name: 'b', image: 'z' }] })).toEqual({
      containers: [{ name: 'b', image: 'z' }],
    })
    expect(mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } })).toEqual({ a: 1, b: { d: 3 } })
    expect(
      jsonPatch(spec, [
        { op: 'replace', path: '/containers/1/image', value: 'z' },
        { op: 'add', path: '/containers/-', value: { name: 'c' } },
      ]),
    ).toEqual({
      containers: [spec.containers[0], { name: 'b', image: 'z' }, { name: 'c' }],
    })
    expect(() => jsonPatch(spec, [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(
      'replace operation does not apply: doc is missing path: "/nope/x": missing value',
    )
  })
})

describe('kubectl patch', () => {
  it('patches with each --type and says so, or that nothing changed', async () => {
    createCluster()
    expect(
      await kubectl(['patch', 'deployment', 'coredns', '-n', 'kube-system', '-p', '{"spec":{"replicas":3}}']),
    ).toEqual({ exitCode: 0, stdout: 'deployment.apps/coredns patched\n', stderr: '' })
    expect(deployment().spec.replicas).toBe(3)
    expect(
      await kubectl(['patch', 'deploy/coredns', '-n', 'kube-system', '--type', 'merge', '-p', 'spec:\n  replicas: 3']),
    ).toEqual({ exitCode: 0, stdout: 'deployment.apps/coredns patched (no change)\n', stderr: '' })
    await kubectl([
      'patch',
      'deploy',
      'coredns',
      '-n',
      'kube-system',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"coredns","image":"coredns:v2"}]}}}}',
    ])
    // Merged by name: the container keeps the fields the patch does not name.
    expect(deployment().spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'coredns', image: 'coredns:v2', args: ['-conf', '/etc/coredns/Corefile'] }),
    ])
    expect(
      await kubectl([
        'patch',
        'deploy',
        'coredns',
        '-n',
        'kube-system',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/replicas","value":1}]',
      ]),
    ).toMatchObject({ exitCode: 0, stdout: 'deployment.apps/coredns patched\n' })
    expect(deployment().spec.replicas).toBe(1)
    expect(
      await kubectl([
        'patch',
        'svc',
        'kubernetes',
        '-p',
        '{"metadata":{"labels":{"color":"blue"}}}',
        '--dry-run=client',
      ]),
    ).toMatchObject({ exitCode: 0, stdout: 'service/kubernetes patched (dry run)\n' })
    expect(fake.cluster.store.get('Service', 'default', 'kubernetes')!.metadata.labels!.color).toBeUndefined()
  })

  it('answers like the API server: strategic patches of custom resources, bad types, missing objects and paths', async () => {
    createCluster()
    await kubectl(['patch', 'node', 'clab-bgp-control-plane', '-p', '{"metadata":{"labels":{"rack":"rack0"}}}'])
    expect(fake.cluster.store.get('Node', undefined, 'clab-bgp-control-plane')!.metadata.labels!.rack).toBe('rack0')
    fake.cluster.store.create({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumLoadBalancerIPPool',
      metadata: { name: 'pool' },
      spec: { cidrs: [{ cidr: '30.0.10.0/24' }], disabled: false },
    })
    expect(await kubectl(['patch', 'ippool', 'pool', '-p', '{"spec":{"disabled":true}}'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
    })
    expect(
      await kubectl(['patch', 'ippool', 'pool', '--type', 'merge', '-p', '{"spec":{"disabled":true}}']),
    ).toMatchObject({ exitCode: 0, stdout: 'ciliumloadbalancerippool.cilium.io/pool patched\n' })
    expect(
      await kubectl(['patch', 'ippool', 'pool', '--type', 'merge', '-p', '{"spec":{"cidrs":[{"cidr":"30.0.10.0"}]}}']),
    ).toMatchObject({
      exitCode: 1,
      stderr:
        'The CiliumLoadBalancerIPPool.cilium.io "pool" is invalid: spec.cidrs[0].cidr: Invalid value: "30.0.10.0": spec.cidrs[0].cidr in body must be of type cidr: "30.0.10.0"\n',
    })
    expect(await kubectl(['patch', 'svc', 'kubernetes', '--type', 'foo', '-p', '{}'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: --type must be one of [json merge strategic], not "foo"\n',
    })
    expect(await kubectl(['patch', 'svc', 'kubernetes'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: must specify --patch or --patch-file containing the contents of the patch\n',
    })
    expect(await kubectl(['patch', 'svc', 'nope', '-p', '{}'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (NotFound): services "nope" not found\n',
    })
    expect(
      await kubectl(['patch', 'svc', 'kubernetes', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nope"}]']),
    ).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server: remove operation does not apply: doc is missing path: "/spec/nope": missing value\n',
    })
  })
})

describe('kubectl annotate', () => {
  it('adds, refuses an existing key without --overwrite, overwrites and removes', async () => {
    createCluster()
    expect(await kubectl(['annotate', 'svc', 'kubernetes', 'team=net', 'note=a b'])).toEqual({
      exitCode: 0,
      stdout: 'service/kubernetes annotated\n',
      stderr: '',
    })
    expect(fake.cluster.store.get('Service', 'default', 'kubernetes')!.metadata.annotations).toEqual({
      team: 'net',
      note: 'a b',
    })
    expect(await kubectl(['annotate', 'svc/kubernetes', 'team=net'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "error: --overwrite is false but found the following declared annotation(s): 'team' already has a value (net)\n",
    })
    expect(await kubectl(['annotate', 'svc/kubernetes', 'team=bgp', '--overwrite'])).toMatchObject({
      exitCode: 0,
      stdout: 'service/kubernetes annotated\n',
    })
    expect(await kubectl(['annotate', 'svc', 'kubernetes', 'team-', 'absent-'])).toMatchObject({
      exitCode: 0,
      stdout: 'service/kubernetes annotated\n',
    })
    expect(fake.cluster.store.get('Service', 'default', 'kubernetes')!.metadata.annotations).toEqual({ note: 'a b' })
    expect(await kubectl(['annotate', 'svc', 'kubernetes', '--list'])).toMatchObject({
      exitCode: 0,
      stdout: 'note=a b\n',
    })
    expect(await kubectl(['annotate', 'svc', 'kubernetes', 'a=1', 'a-'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: can not both modify and remove the following annotation(s) in the same command: a\n',
    })
    expect(await kubectl(['annotate', 'svc', 'kubernetes'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: at least one annotation update is required\n',
    })
    expect(await kubectl(['annotate', 'svc', 'kubernetes', 'a=1', 'oops'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: all resources must be specified before annotation changes: oops\n',
    })
  })
})
