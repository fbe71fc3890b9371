import { describe, expect, it } from 'vitest'
import { endpointsController } from '../cluster/controllers/endpoints.ts'
import { namespaceObjectsController } from '../cluster/controllers/namespace-objects.ts'
import { workloadsController } from '../cluster/controllers/workloads.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** The objects a fresh kind cluster holds besides pods and nodes, and `get` of every type discovery lists. */
const fake = useFakeCluster('system-objects-test-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

async function createCluster() {
  fake.createKindCluster()
  for (const c of [namespaceObjectsController, workloadsController, endpointsController])
    await c.reconcile(fake.cluster)
}

const column = (stdout: string, n: number) =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s+/)[n])

describe('kind cluster objects', () => {
  it('has a default ServiceAccount with a token Secret and kube-root-ca.crt in every namespace', async () => {
    await createCluster()
    const sa = await kubectl(['get', 'sa', '-n', 'kube-public'])
    expect(sa.stdout).toMatch(/^NAME +SECRETS +AGE\ndefault +1 +\d+s\n$/)
    const secrets = await kubectl(['get', 'secrets', '-n', 'kube-public'])
    expect(secrets.stdout).toMatch(
      /^NAME +TYPE +DATA +AGE\ndefault-token-[b-z2-9]{5} +kubernetes.io\/service-account-token +3 +\d+s\n$/,
    )
    const cms = await kubectl([
      'get',
      'cm',
      '-A',
      '-o',
      'custom-columns=NS:.metadata.namespace,NAME:.metadata.name',
      '--no-headers',
    ])
    expect(
      cms.stdout
        .split('\n')
        .filter((l) => l.includes('kube-root-ca.crt'))
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage'])
    expect(column((await kubectl(['get', 'cm', '-n', 'kube-system'])).stdout, 0)).toEqual([
      'coredns',
      'extension-apiserver-authentication',
      'kube-proxy',
      'kube-root-ca.crt',
      'kubeadm-config',
      'kubelet-config-1.23',
    ])
    expect(
      (await kubectl(['get', 'cm', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.data.Corefile}'])).stdout,
    ).toContain('    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n')
    expect(column((await kubectl(['get', 'sa', '-n', 'kube-system'])).stdout, 0)).toContain('replicaset-controller')
  })

  it('keeps a ReplicaSet behind each Deployment that owns its pods', async () => {
    await createCluster()
    const rs = await kubectl(['get', 'rs', '-n', 'kube-system'])
    expect(rs.stdout).toMatch(/^NAME +DESIRED +CURRENT +READY +AGE\ncoredns-64897985d +2 +2 +0 +\d+s\n$/)
    const owner = JSON.parse(
      (await kubectl(['get', 'rs', 'coredns-64897985d', '-n', 'kube-system', '-o', 'json'])).stdout,
    ).metadata.ownerReferences
    expect(owner).toEqual([
      expect.objectContaining({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'coredns',
        controller: true,
        blockOwnerDeletion: true,
      }),
    ])
    const pods = JSON.parse(
      (await kubectl(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'json'])).stdout,
    ).items
    expect(
      pods.map((p: any) => [
        p.metadata.name.replace(/[b-z2-9]{5}$/, 'xxxxx'),
        p.metadata.ownerReferences[0].kind,
        p.metadata.ownerReferences[0].name,
      ]),
    ).toEqual([
      ['coredns-64897985d-xxxxx', 'ReplicaSet', 'coredns-64897985d'],
      ['coredns-64897985d-xxxxx', 'ReplicaSet', 'coredns-64897985d'],
    ])
    await kubectl(['delete', 'deploy', 'coredns', '-n', 'kube-system'])
    await workloadsController.reconcile(fake.cluster)
    expect((await kubectl(['get', 'rs,pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])).stderr).toBe(
      'No resources found in kube-system namespace.\n',
    )
  })

  it('keeps one EndpointSlice per service in step with its Endpoints', async () => {
    await createCluster()
    const [pod] = fake.cluster.store
      .list('Pod', 'kube-system')
      .filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns')
    fake.cluster.store.patch(
      'Pod',
      'kube-system',
      pod.metadata.name,
      (o) => void (o.status = { phase: 'Running', podIP: '10.98.0.5' }),
    )
    await endpointsController.reconcile(fake.cluster)
    const slices = await kubectl(['get', 'endpointslices', '-n', 'kube-system'])
    expect(slices.stdout).toMatch(
      /^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE\nkube-dns-[b-z2-9]{5} +IPv4 +53,53,9153 +10\.98\.0\.5 +\d+s\n$/,
    )
    const slice = JSON.parse((await kubectl(['get', 'endpointslices', '-n', 'kube-system', '-o', 'json'])).stdout)
      .items[0]
    expect(slice.metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'kube-dns',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    expect(slice.endpoints).toEqual([
      {
        addresses: ['10.98.0.5'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: 'kube-system', uid: pod.metadata.uid },
      },
    ])
    expect(slice.ports).toEqual([
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ])
    fake.cluster.store.delete('Pod', 'kube-system', pod.metadata.name)
    await endpointsController.reconcile(fake.cluster)
    expect((await kubectl(['get', 'endpointslices', '-n', 'kube-system'])).stdout).toMatch(
      /\nkube-dns-[b-z2-9]{5} +IPv4 +<unset> +<unset> +\d+s\n$/,
    )
  })

  it("lists every type discovery serves, empty ones with kubectl's line", async () => {
    await createCluster()
    expect(await kubectl(['get', 'statefulsets'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
    })
    expect(await kubectl(['get', 'jobs,cronjobs', '-n', 'kube-system'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'No resources found in kube-system namespace.\n',
    })
    expect(await kubectl(['get', 'pv'])).toEqual({ exitCode: 0, stdout: '', stderr: 'No resources found\n' })
    expect(await kubectl(['get', 'sts', 'web'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): statefulsets.apps "web" not found\n',
    })
  })
})
