import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-expose-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function createCluster() {
  fake.createKindCluster()
}

describe('kubectl run', () => {
  it('creates one pod labelled run=NAME (or --labels), its container named after it', async () => {
    createCluster()
    expect(await kubectl(['run', 'tb', '--image=busybox', '--port=80', '--env=A=1', '--', 'sleep', '3600'])).toEqual({
      exitCode: 0,
      stdout: 'pod/tb created\n',
      stderr: '',
    })
    const pod = fake.cluster.store.get('Pod', 'default', 'tb')!
    expect([pod.metadata.labels, pod.spec]).toEqual([
      { run: 'tb' },
      {
        containers: [
          {
            args: ['sleep', '3600'],
            env: [{ name: 'A', value: '1' }],
            image: 'busybox',
            name: 'tb',
            ports: [{ containerPort: 80 }],
            resources: {},
          },
        ],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
      },
    ])
    expect(await kubectl(['run', 'web', '--image=nginx', '-l', 'app=web,tier=front', '--port=80', '--expose'])).toEqual(
      { exitCode: 0, stdout: 'pod/web created\nservice/web created\n', stderr: '' },
    )
    expect(fake.cluster.store.get('Service', 'default', 'web')!.spec.selector).toEqual({ app: 'web', tier: 'front' })
    expect(await kubectl(['run', 'x'])).toMatchObject({
      exitCode: 1,
      stderr: "error: --image is required\nSee 'kubectl run -h' for help and examples\n",
    })
    expect(await kubectl(['run', 'x', '--image=busybox', '--restart=Sometimes'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: invalid restart policy: Sometimes, valid values are: Always, OnFailure, Never\n',
    })
    expect(await kubectl(['run', 'x', '-it', '--image=busybox', '--', 'sh'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(
        /^kubectl: 'run --stdin' is not available in the twin lab\n.*kubectl exec -it NAME -- sh\.\n$/,
      ),
    })
  })
})

describe('kubectl expose', () => {
  it('exposes a deployment on its selector and ports; a pod on its labels; names the ports when several', async () => {
    createCluster()
    await kubectl(['create', 'deployment', 'web', '--image=nginx', '--port=80'])
    expect(
      await kubectl(['expose', 'deployment', 'web', '--type=LoadBalancer', '--target-port=80', '--port=8080']),
    ).toEqual({ exitCode: 0, stdout: 'service/web exposed\n', stderr: '' })
    const svc = fake.cluster.store.get('Service', 'default', 'web')!
    expect(svc.metadata.labels).toEqual({ app: 'web' })
    expect(svc.spec).toMatchObject({
      type: 'LoadBalancer',
      selector: { app: 'web' },
      ports: [{ port: 8080, protocol: 'TCP', targetPort: 80, nodePort: expect.any(Number) }],
    })
    expect(svc.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/)
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two', namespace: 'default', labels: { app: 'two' } },
      spec: {
        containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }],
      },
    })
    expect((await kubectl(['expose', 'pod/two', '--name', 'two-svc'])).stdout).toBe('service/two-svc exposed\n')
    expect(fake.cluster.store.get('Service', 'default', 'two-svc')!.spec.ports).toEqual([
      { name: 'port-1', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'port-2', port: 53, protocol: 'UDP', targetPort: 53 },
    ])
    expect(await kubectl(['expose', 'deployment', 'web', '--dry-run=client', '-o', 'yaml', '--name', 'web2'])).toEqual({
      exitCode: 0,
      stdout:
        'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web2\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n',
      stderr: '',
    })
  })

  it('answers like kubectl when there is nothing to select, no port, or a kind it cannot expose', async () => {
    createCluster()
    expect(await kubectl(['expose', 'deployment', 'web'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (NotFound): deployments.apps "web" not found\n',
    })
    await kubectl(['create', 'deployment', 'web', '--image=nginx'])
    expect(await kubectl(['expose', 'deployment', 'web'])).toMatchObject({
      exitCode: 1,
      stderr:
        "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n",
    })
    expect(await kubectl(['expose', 'deployment', 'web', '--port=80'])).toMatchObject({ exitCode: 0 })
    expect(await kubectl(['expose', 'deployment', 'web', '--port=80'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (AlreadyExists): services "web" already exists\n',
    })
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bare', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    })
    expect(await kubectl(['expose', 'pod', 'bare', '--port=80'])).toMatchObject({
      exitCode: 1,
      stderr:
        "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples\n",
    })
    expect(await kubectl(['expose', 'ds', 'kube-proxy', '-n', 'kube-system', '--port=80'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: cannot expose a DaemonSet.apps\n',
    })
  })
})
