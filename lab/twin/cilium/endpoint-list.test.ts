import { describe, expect, it } from 'vitest'
import type { KObject } from '../cluster/store.ts'
import { agentEndpoints, formatEndpointList } from './endpoint-list.ts'

const node = (name: string, labels: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} }) as KObject
const pod = (name: string, nodeName: string, ip: string | undefined, labels: Record<string, string>, spec = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName, ...spec },
    status: ip ? { podIP: ip } : {},
  }) as KObject
const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } },
} as KObject

describe('cilium endpoint list (v1.13 agent)', () => {
  const controlPlane = node('clab-bgp-control-plane', {
    'beta.kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'clab-bgp-control-plane',
    'node-role.kubernetes.io/control-plane': '',
    'node.kubernetes.io/exclude-from-external-load-balancers': '',
    rack: 'rack0',
  })
  const cniLabels = { app: 'cni', 'controller-revision-hash': '5f7d9c', 'pod-template-generation': '1' }
  const pods = [
    pod('cni-8cnm5', 'clab-bgp-control-plane', '10.98.0.18', cniLabels),
    pod('cni-x2x4k', 'clab-bgp-worker', '10.98.1.7', cniLabels),
    pod('pending', 'clab-bgp-control-plane', undefined, { app: 'web' }),
    pod('on-host', 'clab-bgp-control-plane', '10.1.5.10', { app: 'host' }, { hostNetwork: true }),
  ]
  const endpoints = agentEndpoints(controlPlane, pods, [namespace], 'default')

  it("lists the host endpoint and the node's pods with an address, not host-network or other nodes' pods", () => {
    expect(endpoints.map((e) => [e.identity === 1, e.ipv4])).toEqual(
      expect.arrayContaining([
        [true, ''],
        [false, '10.98.0.18'],
      ]),
    )
    expect(endpoints).toHaveLength(2)
  })

  it("derives the labels as the agent filters them: the node's role and own labels, the pod's identity labels", () => {
    const byIp = (ip: string) => endpoints.find((e) => e.ipv4 === ip)
    expect(byIp('')?.labels).toEqual([
      'k8s:node-role.kubernetes.io/control-plane',
      'k8s:node.kubernetes.io/exclude-from-external-load-balancers',
      'k8s:rack=rack0',
      'reserved:host',
    ])
    expect(byIp('10.98.0.18')?.labels).toEqual([
      'k8s:app=cni',
      'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default',
      'k8s:io.cilium.k8s.policy.cluster=default',
      'k8s:io.cilium.k8s.policy.serviceaccount=default',
      'k8s:io.kubernetes.pod.namespace=default',
    ])
  })

  it('gives pods with the same labels the same identity on every node, from the allocated range, and stable IDs', () => {
    const worker = agentEndpoints(node('clab-bgp-worker', {}), pods, [namespace], 'default')
    const identity = endpoints.find((e) => e.ipv4 === '10.98.0.18')?.identity
    expect(worker.find((e) => e.ipv4 === '10.98.1.7')?.identity).toBe(identity)
    expect(identity).toBeGreaterThanOrEqual(256)
    expect(agentEndpoints(controlPlane, [...pods].reverse(), [namespace], 'default')).toEqual(endpoints)
    expect(endpoints.map((e) => e.id)).toEqual([...endpoints.map((e) => e.id)].sort((a, b) => a - b))
  })

  it('prints the two-line header, every column padded, further labels on lines of their own', () => {
    const table = formatEndpointList([
      { id: 171, identity: 1, labels: ['k8s:rack=rack0', 'reserved:host'], ipv4: '' },
      {
        id: 2310,
        identity: 40137,
        labels: ['k8s:app=cni', 'k8s:io.kubernetes.pod.namespace=default'],
        ipv4: '10.98.0.18',
      },
    ])
    expect(table).toBe(
      'ENDPOINT   POLICY (ingress)   POLICY (egress)   IDENTITY   LABELS (source:key[=value])               IPv6   IPv4         STATUS   \n' +
        '           ENFORCEMENT        ENFORCEMENT                                                                                \n' +
        '171        Disabled           Disabled          1          k8s:rack=rack0                                                ready   \n' +
        '                                                           reserved:host                                                         \n' +
        '2310       Disabled           Disabled          40137      k8s:app=cni                                      10.98.0.18   ready   \n' +
        '                                                           k8s:io.kubernetes.pod.namespace=default                               \n',
    )
    expect(formatEndpointList([{ id: 171, identity: 1, labels: ['reserved:host'], ipv4: '' }], false)).toBe(
      '171   Disabled   Disabled   1    reserved:host             ready   \n',
    )
  })
})
