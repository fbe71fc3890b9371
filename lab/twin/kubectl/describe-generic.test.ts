/**
 * kubectl describe of a custom resource, as 1.23's genericDescriber prints it (k8s.io/kubectl/pkg/describe/
 * describe.go): every field sorted, labelled by smartLabelFor, aligned by one tabwriter, Events at the end.
 */
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { smartLabel } from './describe.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-describe-generic-')

describe('kubectl describe of a custom resource', () => {
  it('labels fields as smartLabelFor does', () => {
    expect(
      ['localASN', 'exportPodCIDR', 'peerASN', 'apiVersion', 'uid', 'HTTPServer', 'ipv4', 'rack'].map(smartLabel),
    ).toEqual(['Local ASN', 'Export Pod CIDR', 'Peer ASN', 'API Version', 'UID', 'HTTP Server', 'ipv4', 'Rack'])
    expect(smartLabel('kubernetes.io/os')).toBe('kubernetes.io/os')
  })

  it('prints a peering policy: namespace line, metadata, sorted fields, one alignment down to Events', async () => {
    fake.createKindCluster({ cilium: true })
    fake.cluster.store.create({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumBGPPeeringPolicy',
      metadata: {
        name: 'rack1',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: {
        nodeSelector: { matchLabels: { rack: 'rack1' } },
        virtualRouters: [
          { localASN: 65008, exportPodCIDR: true, neighbors: [{ peerAddress: '10.1.8.1/24', peerASN: 65008 }] },
        ],
      },
    })
    const { stdout } = await fake.call(kubectlTool, ['describe', 'ciliumbgppeeringpolicy', 'rack1'])
    const { uid, resourceVersion, creationTimestamp } = fake.cluster.store.get(
      'CiliumBGPPeeringPolicy',
      undefined,
      'rack1',
    )!.metadata
    expect(stdout).toBe(
      [
        'Name:         rack1',
        'Namespace:    ',
        'Labels:       <none>',
        'Annotations:  <none>',
        'API Version:  cilium.io/v2alpha1',
        'Kind:         CiliumBGPPeeringPolicy',
        'Metadata:',
        `  Creation Timestamp:  ${creationTimestamp}`,
        `  Resource Version:    ${resourceVersion}`,
        `  UID:                 ${uid}`,
        'Spec:',
        '  Node Selector:',
        '    Match Labels:',
        '      Rack:  rack1',
        '  Virtual Routers:',
        '    Export Pod CIDR:  true',
        '    Local ASN:        65008',
        '    Neighbors:',
        '      Peer ASN:      65008',
        '      Peer Address:  10.1.8.1/24',
        'Events:              <none>',
        '',
      ].join('\n'),
    )
  })
})
