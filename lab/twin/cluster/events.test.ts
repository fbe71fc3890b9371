import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callTool } from '../daemon/call-tool.ts'
import { kubectlTool } from '../kubectl/kubectl.ts'
import { bootstrapObjects } from './bootstrap.ts'
import { Cluster, type Controller, registerCluster, unregisterCluster } from './cluster.ts'
import { Metallb } from './controllers/metallb.ts'
import { NodesController } from './controllers/nodes.ts'
import { runningStatus } from './controllers/pod-status.ts'
import { workloadsController } from './controllers/workloads.ts'
import { fakeLab } from './fake-lab.ts'

/**
 * The controllers record what the real components do, seen through kubectl: the pod network is replaced by a
 * stand-in that starts every bound pod as the CNI would (no namespaces), the rest are the twin's own controllers.
 */
const standInCni: Controller = {
  name: 'cni',
  async reconcile(cluster) {
    for (const pod of cluster.store
      .list('Pod')
      .filter((p) => p.spec.nodeName && !p.spec.hostNetwork && !p.status?.podIP)) {
      cluster.store.patch(
        'Pod',
        pod.metadata.namespace,
        pod.metadata.name,
        (o) => void (o.status = runningStatus(o, '10.98.1.7', undefined, '2024-07-18T12:00:00Z')),
      )
    }
  },
}

let dir: string
let cluster: Cluster
const kubectl = async (...argv: string[]) => {
  const result = await callTool(kubectlTool, cluster.lab, argv, { cwd: dir })
  expect(result.stderr).toBe('')
  return result.stdout
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twin-events-'))
  cluster = new Cluster(fakeLab(dir), [new NodesController(), workloadsController, standInCni, new Metallb()])
  registerCluster(cluster)
  const record = {
    name: 'kind',
    podSubnet: '10.98.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    disableDefaultCNI: true,
    createdAt: 0,
    nodes: [
      { name: 'kind-control-plane', role: 'control-plane' as const, labels: {} },
      { name: 'kind-worker', role: 'worker' as const, labels: {} },
    ],
  }
  cluster.store.setCluster(record)
  for (const o of bootstrapObjects(record)) cluster.store.create(o)
})

afterEach(async () => {
  await cluster.stop()
  unregisterCluster(cluster)
  rmSync(dir, { recursive: true, force: true })
})

/** What Cilium's agent does to a node once it runs: Ready, the not-ready taint gone. */
function ciliumReady(node: string): void {
  cluster.store.patch('Node', undefined, node, (o) => {
    o.status.conditions = [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ]
    o.spec.taints = (o.spec.taints ?? []).filter((t: { key: string }) => t.key !== 'node.kubernetes.io/not-ready')
  })
}

const nginx =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n'

describe("events recorded by the twin's controllers", () => {
  it("a node registers, then turns Ready; a deployment's pods are scheduled, pulled, created, started, and killed when deleted", async () => {
    await cluster.settle()
    ciliumReady('kind-worker')
    await cluster.settle()
    const nodeEvents = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=kind-worker')
    expect(
      nodeEvents
        .split('\n')
        .slice(1)
        .map((l) =>
          l
            .split(/\s{2,}/)
            .slice(2)
            .join(' | '),
        ),
    ).toEqual([
      'Starting | node/kind-worker | Starting kubelet.',
      'NodeHasSufficientMemory | node/kind-worker | Node kind-worker status is now: NodeHasSufficientMemory',
      'NodeHasNoDiskPressure | node/kind-worker | Node kind-worker status is now: NodeHasNoDiskPressure',
      'NodeHasSufficientPID | node/kind-worker | Node kind-worker status is now: NodeHasSufficientPID',
      'NodeAllocatableEnforced | node/kind-worker | Updated Node Allocatable limit across pods',
      'RegisteredNode | node/kind-worker | Node kind-worker event: Registered Node kind-worker in Controller',
      // kube-proxy's Starting has no message: the OBJECT cell keeps its padding, as Go's tabwriter leaves it.
      'Starting | node/kind-worker | ',
      'NodeReady | node/kind-worker | Node kind-worker status is now: NodeReady',
      '',
    ])
    // describe node looks events up by the node's name as uid: the kubelet's and kube-proxy's, not the node controller's.
    expect(await kubectl('describe', 'node', 'kind-worker')).toMatch(
      /\nEvents:\n {2}Type {4}Reason +Age +From +Message\n[\s\S]* {2}Normal {2}NodeReady +\d+s +kubelet +Node kind-worker status is now: NodeReady\n$/,
    )
    expect(await kubectl('describe', 'node', 'kind-worker')).not.toContain('RegisteredNode')

    await callTool(kubectlTool, cluster.lab, ['apply', '-f', '-'], { cwd: dir, stdin: nginx })
    await cluster.settle()
    const pods = JSON.parse(await kubectl('get', 'pods', '-o', 'json')).items.map(
      (p: { metadata: { name: string } }) => p.metadata.name,
    )
    expect(pods).toHaveLength(2)
    const events = await kubectl('get', 'events')
    expect(events).toMatch(/^LAST SEEN {3}TYPE {5}REASON +OBJECT +MESSAGE\n/)
    expect(events).toMatch(
      /\n\d+s +Normal {3}ScalingReplicaSet +deployment\/nginx +Scaled up replica set nginx-\w+ to 2\n/,
    )
    for (const pod of pods) {
      expect(events).toContain(`replicaset/${pod.replace(/-\w{5}$/, '')}`)
      expect(events).toMatch(
        new RegExp(`\\n\\d+s +Normal +SuccessfulCreate +replicaset/nginx-\\w+ +Created pod: ${pod}\\n`),
      )
      const own = events
        .split('\n')
        .filter((l) => l.includes(`pod/${pod} `))
        .map((l) =>
          l
            .split(/\s{2,}/)
            .slice(2)
            .join(' | '),
        )
      expect(own).toEqual([
        `Scheduled | pod/${pod} | Successfully assigned default/${pod} to kind-worker`,
        `Pulled | pod/${pod} | Container image "nginx" already present on machine`,
        `Created | pod/${pod} | Created container nginx`,
        `Started | pod/${pod} | Started container nginx`,
      ])
    }
    expect(await kubectl('describe', 'pod', pods[0])).toMatch(
      new RegExp(
        '\\nTolerations: .*\\n.*\\nEvents:\\n  Type    Reason     Age   From               Message\\n  ----    ------     ----  ----               -------\\n' +
          `  Normal  Scheduled  \\d+s +default-scheduler  Successfully assigned default/${pods[0]} to kind-worker\\n` +
          '  Normal  Pulled     \\d+s +kubelet            Container image "nginx" already present on machine\\n' +
          '  Normal  Created    \\d+s +kubelet            Created container nginx\\n' +
          '  Normal  Started    \\d+s +kubelet            Started container nginx\\n$',
      ),
    )

    await kubectl('delete', 'pod', pods[0])
    await cluster.settle()
    const after = await kubectl('get', 'events')
    expect(after).toMatch(new RegExp(`\\n\\d+s +Normal +Killing +pod/${pods[0]} +Stopping container nginx\\n`))
    expect(after.match(/SuccessfulCreate/g)).toHaveLength(3)
  })

  it("MetalLB's controller records IPAllocated and its speaker nodeAssigned on the service", async () => {
    ciliumReady('kind-worker')
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } }
    const speaker = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'speaker', namespace: 'metallb-system' },
      spec: {
        selector: { matchLabels: { component: 'speaker' } },
        template: {
          metadata: { labels: { component: 'speaker' } },
          spec: {
            hostNetwork: true,
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'speaker', image: 'quay.io/metallb/speaker:v0.13.10' }],
          },
        },
      },
    }
    const controller = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'controller', namespace: 'metallb-system' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { component: 'controller' } },
        template: {
          metadata: { labels: { component: 'controller' } },
          spec: { containers: [{ name: 'controller', image: 'quay.io/metallb/controller:v0.13.10' }] },
        },
      },
    }
    const pool = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'ippool', namespace: 'metallb-system' },
      spec: { addresses: ['172.18.0.200-172.18.0.210'] },
    }
    const l2 = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'ippool', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['ippool'] },
    }
    for (const o of [ns, speaker, controller, pool, l2]) cluster.store.create(o)
    await cluster.settle()
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: cni\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n  selector:\n    app: cni\n'
    await callTool(kubectlTool, cluster.lab, ['apply', '-f', '-'], { cwd: dir, stdin: svc })
    await cluster.settle()
    const events = await kubectl('get', 'events', '--field-selector', 'involvedObject.kind=Service')
    expect(events).toMatch(/\n\d+s +Normal +IPAllocated +service\/cni +Assigned IP \["172\.18\.0\.200"\]\n/)
    expect(events).toMatch(
      /\n\d+s +Normal +nodeAssigned +service\/cni +announcing from node "kind-(control-plane|worker)" with protocol "layer2"\n/,
    )
    expect(await kubectl('describe', 'svc', 'cni')).toMatch(
      /\nEvents:\n {2}Type {4}Reason {8}Age {3}From {16}Message\n {2}---- {4}------ {8}---- {2}---- {16}-------\n {2}Normal {2}IPAllocated {3}\d+s +metallb-controller {2}Assigned IP \["172\.18\.0\.200"\]\n {2}Normal {2}nodeAssigned {2}\d+s +metallb-speaker {5}announcing from node /,
    )
  })
})
