import { describe, expect, it } from 'vitest'
import { agentEndpoints } from '../../cilium/endpoint-list.ts'
import { kubectlTool } from '../../kubectl/kubectl.ts'
import { useFakeCluster } from '../fake-cluster.ts'
import type { KObject } from '../store.ts'
import { ciliumEndpointsController } from './cilium-endpoints.ts'

/** The agents' CiliumEndpoints, from the store a kind cluster with Cilium 1.13 leaves, reconciled by hand. */
const fake = useFakeCluster('cilium-endpoints-')
const reconcile = () => ciliumEndpointsController.reconcile(fake.cluster)
const kubectl = async (argv: string[]) => (await fake.call(kubectlTool, argv)).stdout

const NODES = ['clab-bgp-control-plane', 'clab-bgp-worker']
const cniLabels = { app: 'cni', 'controller-revision-hash': '5f7d9c', 'pod-template-generation': '1' }

function pod(name: string, namespace: string, node: string, ip: string | undefined, extra: Partial<KObject> = {}) {
  return fake.cluster.store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: extra.metadata?.labels ?? cniLabels },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }], ...extra.spec },
    status: { phase: 'Running', ...(ip ? { podIP: ip } : {}) },
  })
}

/** Two nodes with their InternalIPs, Cilium's config, both agents running, and a mix of pods. */
function seed(): void {
  fake.createKindCluster({
    nodes: NODES.map((name, i) => ({ name, role: i ? 'worker' : 'control-plane', labels: {} })),
    cilium: true,
  })
  const { store } = fake.cluster
  for (const [i, name] of NODES.entries())
    store.patch(
      'Node',
      undefined,
      name,
      (o) => void (o.status = { addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }] }),
    )
  store.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cilium-config', namespace: 'kube-system' },
    data: { ipam: 'kubernetes' },
  })
  for (const [i, node] of NODES.entries())
    pod(`cilium-${i}`, 'kube-system', node, '172.18.0.9', {
      metadata: { name: '', labels: { 'k8s-app': 'cilium' } },
      spec: { hostNetwork: true },
    })
  pod('cni-8cnm5', 'default', NODES[0], '10.98.0.18')
  pod('cni-x2x4k', 'default', NODES[1], '10.98.1.7')
  pod('coredns-1', 'kube-system', NODES[0], '10.98.0.40', {
    metadata: { name: '', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      containers: [
        {
          name: 'coredns',
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9153 },
            { containerPort: 8080 },
          ],
        },
      ],
    },
  })
  pod('pending', 'default', NODES[1], undefined)
}

const ceps = () => fake.cluster.store.list('CiliumEndpoint')
const names = () =>
  ceps()
    .map((c) => `${c.metadata.namespace}/${c.metadata.name}`)
    .sort()

describe('CiliumEndpoints (1.13 agent)', () => {
  it('keeps one per pod endpoint, with the endpoint ID and identity `cilium endpoint list` shows', async () => {
    seed()
    await reconcile()
    expect(names()).toEqual(['default/cni-8cnm5', 'default/cni-x2x4k', 'kube-system/coredns-1'])
    const { store } = fake.cluster
    for (const [i, node] of NODES.entries()) {
      const listed = agentEndpoints(
        store.get('Node', undefined, node),
        store.list('Pod'),
        store.list('Namespace'),
        'default',
      )
      for (const endpoint of listed.filter((e) => e.ipv4)) {
        const cep = ceps().find((c) => c.status.networking.addressing[0].ipv4 === endpoint.ipv4)!
        expect(cep.status).toMatchObject({
          id: endpoint.id,
          identity: { id: endpoint.identity, labels: endpoint.labels },
          networking: { node: `172.18.0.${i + 2}` },
        })
      }
    }
    const cni = store.get('CiliumEndpoint', 'default', 'cni-8cnm5')!
    const owner = store.get('Pod', 'default', 'cni-8cnm5')!
    expect(cni.metadata.labels).toEqual(cniLabels)
    expect(cni.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'cni-8cnm5', uid: owner.metadata.uid },
    ])
    expect(cni.status).toMatchObject({
      encryption: {},
      networking: { addressing: [{ ipv4: '10.98.0.18' }] },
      policy: {
        ingress: { enforcing: false, state: '<status disabled>' },
        egress: { enforcing: false, state: '<status disabled>' },
      },
      state: 'ready',
      'visibility-policy-status': '<status disabled>',
    })
    expect(cni.status['named-ports']).toBeUndefined()
    expect(store.get('CiliumEndpoint', 'kube-system', 'coredns-1')!.status['named-ports']).toEqual([
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ])
  })

  it('prints with the CRD columns of 1.13 in `kubectl get cep -A`', async () => {
    seed()
    await reconcile()
    const id = fake.cluster.store.get('CiliumEndpoint', 'default', 'cni-8cnm5')!.status
    const lines = (await kubectl(['get', 'cep', '-A'])).trimEnd().split('\n')
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'NAMESPACE',
      'NAME',
      'ENDPOINT ID',
      'IDENTITY ID',
      'INGRESS ENFORCEMENT',
      'EGRESS ENFORCEMENT',
      'VISIBILITY POLICY',
      'ENDPOINT STATE',
      'IPV4',
      'IPV6',
    ])
    const row = lines
      .find((line) => line.includes('cni-8cnm5'))!
      .trimEnd()
      .split(/\s{2,}/)
    expect(row).toEqual([
      'default',
      'cni-8cnm5',
      String(id.id),
      String(id.identity.id),
      '<status disabled>',
      '<status disabled>',
      '<status disabled>',
      'ready',
      '10.98.0.18',
    ])
  })

  it('goes with its pod, or when the pod is no endpoint any more; a new pod of the same name gets its own', async () => {
    seed()
    await reconcile()
    const { store } = fake.cluster
    store.delete('Pod', 'default', 'cni-x2x4k')
    store.patch('Pod', 'kube-system', 'coredns-1', (o) => void delete o.status.podIP)
    await reconcile()
    expect(names()).toEqual(['default/cni-8cnm5'])
    store.delete('Pod', 'default', 'cni-8cnm5')
    const again = pod('cni-8cnm5', 'default', NODES[0], '10.98.0.19')
    await reconcile()
    expect(store.get('CiliumEndpoint', 'default', 'cni-8cnm5')!.metadata.ownerReferences?.[0].uid).toBe(
      again.metadata.uid,
    )
  })

  it('is written only by a running agent, not without Cilium, and still goes with its pod after Cilium is removed', async () => {
    seed()
    const { store } = fake.cluster
    store.delete('Pod', 'kube-system', 'cilium-1')
    await reconcile()
    expect(names()).toEqual(['default/cni-8cnm5', 'kube-system/coredns-1'])
    store.delete('ConfigMap', 'kube-system', 'cilium-config')
    store.delete('CiliumEndpoint', 'default', 'cni-8cnm5')
    await reconcile()
    expect(names()).toEqual(['kube-system/coredns-1'])
    store.delete('Pod', 'kube-system', 'coredns-1')
    await reconcile()
    expect(names()).toEqual([])
  })
})
