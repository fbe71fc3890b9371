import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** `get -o yaml|json` prints what the API server would return: its defaults and metadata, not just what was applied. */
const fake = useFakeCluster('server-fields-test-')
const kubectl = (argv: string[], stdin: string | null = null) => fake.call(kubectlTool, argv, stdin)

function createCluster() {
  fake.createKindCluster({ bare: true })
  fake.cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })
}

const stable = (yaml: string) =>
  yaml
    .replace(/ {2}annotations:\n {4}kubectl.kubernetes.io\/last-applied-configuration: \|\n.*\n/, '')
    .replace(/creationTimestamp: "\S+"/g, 'creationTimestamp: "T"')
    .replace(/resourceVersion: "\d+"/g, 'resourceVersion: "N"')
    .replace(/uid: \S+/g, 'uid: U')
    .replace(/clusterIP: \S+/g, 'clusterIP: IP')
    .replace(/- 10\.96\.\S+/g, '- IP')

describe('server-side fields', () => {
  it('prints a service with the fields the API server fills in', async () => {
    createCluster()
    await kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n',
    )
    expect(stable((await kubectl(['get', 'svc', 'web', '-o', 'yaml'])).stdout)).toBe(`apiVersion: v1
kind: Service
metadata:
  creationTimestamp: "T"
  name: web
  namespace: default
  resourceVersion: "N"
  uid: U
spec:
  clusterIP: IP
  clusterIPs:
  - IP
  internalTrafficPolicy: Cluster
  ipFamilies:
  - IPv4
  ipFamilyPolicy: SingleStack
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  sessionAffinity: None
  type: ClusterIP
status:
  loadBalancer: {}
`)
  })

  it("prints pod and deployment defaults, generation and the admission plugins' fields", async () => {
    createCluster()
    await kubectl(['create', 'deployment', 'web', '--image', 'nginx'])
    const deploy = JSON.parse((await kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout)
    expect(deploy.metadata.generation).toBe(1)
    expect(deploy.spec).toMatchObject({
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    })
    expect(deploy.spec.template.spec.containers[0]).toEqual({
      image: 'nginx',
      imagePullPolicy: 'Always',
      name: 'nginx',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    })
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.23' }] },
    })
    const pod = JSON.parse((await kubectl(['get', 'pod', 'p', '-o', 'json'])).stdout)
    expect(pod.metadata.generation).toBeUndefined()
    expect(pod.spec).toEqual({
      containers: [
        {
          image: 'nginx:1.23',
          imagePullPolicy: 'IfNotPresent',
          name: 'c',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
    })
  })
})
