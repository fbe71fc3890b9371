/** kubectl describe service as 1.23's describeService prints it (k8s.io/kubectl/pkg/describe/describe.go). */
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-describe-service-')

describe('kubectl describe service', () => {
  it('lists Annotations after Labels and aligns every value two spaces past the longest label', async () => {
    fake.createKindCluster()
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        namespace: 'default',
        labels: { app: 'web', tier: 'front' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'net' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.50',
        selector: { app: 'web' },
        ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    })
    const { stdout } = await fake.call(kubectlTool, ['describe', 'svc', 'web'])
    expect(stdout).toBe(
      [
        'Name:              web',
        'Namespace:         default',
        'Labels:            app=web',
        '                   tier=front',
        'Annotations:       team: net',
        'Selector:          app=web',
        'Type:              ClusterIP',
        'IP Family Policy:  SingleStack',
        'IP Families:       IPv4',
        'IP:                10.96.0.50',
        'IPs:               10.96.0.50',
        'Port:              <unset>  80/TCP',
        'TargetPort:        80/TCP',
        'Endpoints:         <none>',
        'Session Affinity:  None',
        'Events:            <none>',
        '',
      ].join('\n'),
    )
  })
})
