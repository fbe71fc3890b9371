import { describe, expect, it } from 'vitest'
import { metallbCrds } from '../cluster/crds.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-raw-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv, null)
const raw = async (path: string) => (await kubectl(['get', '--raw', path])).stdout

/**
 * `kubectl api-versions` of a kind v1.23.4 cluster with nothing installed: the groups of cmd/kube-apiserver/app/
 * aggregator.go that 1.23 still serves (the deprecation guide's removals in 1.22, 1.25, 1.26 and 1.27), sorted.
 */
const BUILTIN_VERSIONS = [
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'networking.k8s.io/v1',
  'node.k8s.io/v1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'v1',
]

describe('kubectl api-versions', () => {
  it("lists 1.23's group versions, sorted, and each installed CRD's served versions among them", async () => {
    fake.createKindCluster({ bare: true })
    expect(await kubectl(['api-versions'])).toEqual({
      exitCode: 0,
      stdout: BUILTIN_VERSIONS.map((v) => `${v}\n`).join(''),
      stderr: '',
    })
    for (const crd of metallbCrds()) fake.cluster.store.create(crd)
    const lines = (await kubectl(['api-versions'])).stdout.split('\n')
    expect(lines.filter((l) => l.startsWith('metallb.io/'))).toEqual([
      'metallb.io/v1alpha1',
      'metallb.io/v1beta1',
      'metallb.io/v1beta2',
    ])
    expect(lines.indexOf('metallb.io/v1beta1')).toBeGreaterThan(lines.indexOf('flowcontrol.apiserver.k8s.io/v1beta2'))
    expect(lines.at(-2)).toBe('v1')
    expect(await kubectl(['api-versions', 'apps'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "error: unexpected arguments: [apps]\nSee 'kubectl api-versions -h' for help and examples\n",
    })
  })
})

describe('kubectl get --raw', () => {
  it('answers the health endpoints as kube-apiserver 1.23 does: ok with no newline, or each check with ?verbose', async () => {
    fake.createKindCluster({ bare: true })
    expect(await kubectl(['get', '--raw', '/healthz'])).toEqual({ exitCode: 0, stdout: 'ok', stderr: '' })
    expect(await raw('/readyz/etcd')).toBe('ok')
    const healthz = (await raw('/healthz?verbose')).split('\n')
    // A kind v1.23.4 cluster's /healthz?verbose, check for check.
    expect(healthz.slice(0, 4)).toEqual([
      '[+]ping ok',
      '[+]log ok',
      '[+]etcd ok',
      '[+]poststarthook/start-kube-apiserver-admission-initializer ok',
    ])
    expect(healthz.slice(-3)).toEqual(['[+]poststarthook/apiservice-openapi-controller ok', 'healthz check passed', ''])
    expect(healthz).toHaveLength(24)
    const livez = await raw('/livez?verbose')
    expect(livez).toBe(healthz.join('\n').replace('healthz check passed', 'livez check passed'))
    const readyz = (await raw('/readyz?verbose')).split('\n')
    expect(readyz.slice(2, 5)).toEqual(['[+]etcd ok', '[+]informer-sync ok', healthz[3]])
    expect(readyz.slice(-3)).toEqual(['[+]shutdown ok', 'readyz check passed', ''])
  })

  it('answers /version with the data of kubectl version, indented and with no newline', async () => {
    fake.createKindCluster({ bare: true })
    const body = await raw('/version')
    expect(body.endsWith('}')).toBe(true)
    expect(body.split('\n')[1]).toBe('  "major": "1",')
    expect(JSON.parse(body)).toMatchObject({
      gitVersion: 'v1.23.4',
      gitCommit: 'e6c093d87ea4cbb530a7b2ae91e54c0842d8308a',
    })
    expect((await kubectl(['version'])).stdout).toContain(
      `GitVersion:"v1.23.4", GitCommit:"${JSON.parse(body).gitCommit}"`,
    )
  })

  it('answers discovery: /api, /apis in the aggregator order with CRD groups last, /apis/GROUP', async () => {
    fake.createKindCluster({ cilium: true })
    fake.cluster.store.patch('Node', undefined, 'clab-bgp-control-plane', (o) => {
      o.status.addresses = [{ type: 'InternalIP', address: '172.18.0.3' }]
    })
    expect(await raw('/api')).toBe(
      '{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"172.18.0.3:6443"}]}\n',
    )
    const apis = JSON.parse(await raw('/apis'))
    expect(apis.kind).toBe('APIGroupList')
    const names = apis.groups.map((g: { name: string }) => g.name)
    expect(names.slice(0, 3)).toEqual(['apiregistration.k8s.io', 'apps', 'events.k8s.io'])
    expect(names.slice(-2)).toEqual(['flowcontrol.apiserver.k8s.io', 'cilium.io'])
    expect(apis.groups.find((g: { name: string }) => g.name === 'autoscaling').preferredVersion).toEqual({
      groupVersion: 'autoscaling/v2',
      version: 'v2',
    })
    const v2alpha1 = JSON.parse(await raw('/apis/cilium.io/v2alpha1'))
    expect(v2alpha1).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'cilium.io/v2alpha1' })
    // Only the CRDs served at v2alpha1, with apiextensions' verbs and the storage version's hash.
    expect(v2alpha1.resources.map((r: { name: string }) => r.name)).toEqual([
      'ciliumbgppeeringpolicies',
      'ciliumloadbalancerippools',
      'ciliumnodeconfigs',
    ])
    expect(v2alpha1.resources[1]).toEqual({
      name: 'ciliumloadbalancerippools',
      singularName: 'ciliumloadbalancerippool',
      namespaced: false,
      kind: 'CiliumLoadBalancerIPPool',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      shortNames: ['ippool', 'ippools', 'lbippool', 'lbippools'],
      storageVersionHash: expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/),
    })
    expect(await raw('/apis/cilium.io')).toBe(
      '{"kind":"APIGroup","apiVersion":"v1","name":"cilium.io","versions":[{"groupVersion":"cilium.io/v2","version":"v2"},{"groupVersion":"cilium.io/v2alpha1","version":"v2alpha1"}],"preferredVersion":{"groupVersion":"cilium.io/v2","version":"v2"}}\n',
    )
  })

  it('reads objects and typed lists at their REST paths, as the API server writes them', async () => {
    fake.createKindCluster({ cilium: true })
    const pods = JSON.parse(await raw('/api/v1/namespaces/kube-system/pods'))
    expect(pods).toMatchObject({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    })
    expect(pods.items.length).toBeGreaterThan(0)
    // Typed items: the list's kind says what they are.
    expect(pods.items[0].kind).toBeUndefined()
    expect(pods.items.map((p: { metadata: { namespace: string } }) => p.metadata.namespace)).not.toContain('default')
    const name = pods.items[0].metadata.name
    const pod = await raw(`/api/v1/namespaces/kube-system/pods/${name}`)
    // Go struct order at the top and in ObjectMeta: name, namespace, uid, resourceVersion, creationTimestamp, labels.
    expect(pod).toMatch(
      /^\{"kind":"Pod","apiVersion":"v1","metadata":\{"name":"[^"]+","namespace":"kube-system","uid":"[^"]+","resourceVersion":"\d+","creationTimestamp":"[^"]+","labels":/,
    )
    expect(pod.endsWith('}\n')).toBe(true)
    fake.cluster.store.create({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumLoadBalancerIPPool',
      metadata: { name: 'pool' },
      spec: { cidrs: [{ cidr: '10.0.10.0/24' }] },
    })
    const pools = JSON.parse(await raw('/apis/cilium.io/v2alpha1/ciliumloadbalancerippools'))
    expect(pools).toMatchObject({ kind: 'CiliumLoadBalancerIPPoolList', metadata: { continue: '' } })
    expect(pools.items[0]).toMatchObject({ apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumLoadBalancerIPPool' })
    // A list's query as the API server reads it: selectors filter, pretty=true indents.
    const etcd = JSON.parse(await raw('/api/v1/namespaces/kube-system/pods?labelSelector=component%3Detcd'))
    expect(etcd.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'etcd-clab-bgp-control-plane',
    ])
    const byField = JSON.parse(await raw('/api/v1/pods?fieldSelector=metadata.namespace%3Dkube-system'))
    expect(byField.items).toHaveLength(pods.items.length)
    expect(await kubectl(['get', '--raw', '/api/v1/pods?fieldSelector=spec.frob%3Dx'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (BadRequest): field label not supported: spec.frob\n',
    })
    expect(await raw('/apis/cilium.io?pretty=true')).toBe(
      `${JSON.stringify(JSON.parse(await raw('/apis/cilium.io')), null, 2)}\n`,
    )
    expect(await raw('/apis/cilium.io?pretty')).toBe(await raw('/apis/cilium.io'))
    expect((await kubectl(['get', '--raw', '/api/v1/pods?watch=1'])).stderr).toMatch(
      /^kubectl: 'get --raw \/api\/v1\/pods\?watch' is not available in the twin lab\n/,
    )
    expect(await kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): pods "nope" not found\n',
    })
  })

  it("answers what the API server does not serve with its 404, and get's own refusals", async () => {
    fake.createKindCluster({ bare: true })
    const notFound = {
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): the server could not find the requested resource\n',
    }
    for (const path of ['/foo', '/apis/metallb.io', '/apis/apps/v1beta1/deployments', '/api/v1/frobs', '/healthz/nope'])
      expect(await kubectl(['get', '--raw', path])).toEqual(notFound)
    expect((await kubectl(['get', 'pods', '--raw', '/api'])).stderr).toBe(
      'error: arguments may not be passed when --raw is specified\n',
    )
    // Both as kubectl v1.23.0 prints them (pkg/cmd/get/get.go Validate: url.ParseRequestURI).
    expect(await kubectl(['get', '--raw', 'healthz?verbose'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'error: --raw must be a valid URL path: parse "healthz?verbose": invalid URI for request\nSee \'kubectl get -h\' for help and examples\n',
    })
    expect((await kubectl(['get', '--raw', ''])).stderr).toMatch(/^You must specify the type of resource to get\./)
    expect((await kubectl(['get', '--raw', '/api', '-o', 'json'])).stderr).toBe(
      "error: --raw and --output are mutually exclusive\nSee 'kubectl get -h' for help and examples\n",
    )
    expect((await kubectl(['get', '--raw', '/api/v1/namespaces/kube-system/pods/etcd/log'])).stderr).toBe(
      "kubectl: 'get --raw /api/v1/namespaces/kube-system/pods/etcd/log' is not available in the twin lab\nkubectl logs -n NAMESPACE POD prints the log.\n",
    )
    for (const path of ['/', '/metrics', '/openapi/v2', '/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy'])
      expect((await kubectl(['get', '--raw', path])).stderr).toMatch(
        /^kubectl: 'get --raw \/.*' is not available in the twin lab\n/,
      )
    expect((await kubectl(['get', '--raw', '/apis/apps/v1'])).stderr).toMatch(
      /^kubectl: 'get --raw \/apis\/apps\/v1' is not available in the twin lab\n/,
    )
    expect((await kubectl(['get', '--raw', '/api/v1'])).stderr).toMatch(
      /^kubectl: 'get --raw \/api\/v1' is not available in the twin lab\n/,
    )
  })
})
