import { describe, expect, it } from 'vitest'
import type { Cluster } from '../cluster/cluster.ts'
import { runningStatus } from '../cluster/controllers/pod-status.ts'
import { nodeTarget, recordEvent, targetOf } from '../cluster/events.ts'
import { addKindNode, fakeLab } from '../cluster/fake-lab.ts'
import { type KObject, ObjectStore } from '../cluster/store.ts'
import { markStopped } from '../docker/container-state.ts'
import { describeNode } from './describe-node.ts'
import { describePod } from './describe-pod.ts'

/** A kind 1.23 cluster's objects as the twin stores them, on a 2-CPU host with 4 GiB, created at T0 and read an hour later. */
const T0 = Date.parse('2024-07-18T12:00:00Z')
const NOW = T0 + 3_600_000
const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
const capacity = {
  cpu: '2',
  'ephemeral-storage': '61255492Ki',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '4030124Ki',
  pods: '110',
}

function node(name: string, controlPlane: boolean, ip: string, cidr: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node-role.kubernetes.io/master': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : {}),
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      providerID: `kind://docker/kind/${name}`,
      taints: controlPlane ? [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] : [],
    },
    status: {
      conditions: [ready],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      capacity,
      allocatable: capacity,
      nodeInfo: {
        machineID: controlPlane ? '8a5cbd2bd1a2458d8bdbd2b3e4f0a1c2' : '0f4b3c9e8d7a4b6c9e1f2a3b4c5d6e7f',
        systemUUID: '4c4c4544-0042-3610-8052-b4c04f384d32',
        bootID: 'fe1b9207-0b5a-422d-a603-a470f6ea0657',
        kernelVersion: '6.1.0-18-amd64',
        osImage: 'Ubuntu 21.10',
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.5.10',
        kubeletVersion: 'v1.23.4',
        kubeProxyVersion: 'v1.23.4',
      },
    },
  }
}

function pod(
  name: string,
  nodeName: string,
  ip: string,
  hostIP: string,
  started: number,
  owner: { kind: string; name: string },
  spec: any,
  labels: Record<string, string>,
): KObject {
  const object: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: spec.namespace ?? 'default',
      labels,
      ownerReferences: [{ ...owner, uid: 'o', controller: true } as any],
    },
    spec: { nodeName, ...spec.spec },
  }
  delete (object.spec as any).namespace
  object.status = runningStatus(object, ip, hostIP, new Date(started).toISOString().replace('.000Z', 'Z'))
  return object
}

function cluster(): Cluster {
  const store = new ObjectStore(null)
  store.create(node('kind-control-plane', true, '172.18.0.2', '10.244.0.0/24'), T0)
  store.create(node('kind-worker', false, '172.18.0.3', '10.244.1.0/24'), T0 + 20_000)
  const proxy = pod(
    'kube-proxy-9xk2p',
    'kind-worker',
    '172.18.0.3',
    '172.18.0.3',
    T0 + 31_000,
    { kind: 'DaemonSet', name: 'kube-proxy' },
    {
      namespace: 'kube-system',
      spec: {
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists' }],
        containers: [{ name: 'kube-proxy', image: 'k8s.gcr.io/kube-proxy:v1.23.4' }],
      },
    },
    { 'controller-revision-hash': '7d8b5c9f4b', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
  )
  const web = pod(
    'web-6799fc88d8-xkv8q',
    'kind-worker',
    '10.244.1.5',
    '172.18.0.3',
    T0 + 1_801_000,
    { kind: 'ReplicaSet', name: 'web-6799fc88d8' },
    {
      spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
    },
    { app: 'web', 'pod-template-hash': '6799fc88d8' },
  )
  store.create(proxy, T0 + 30_000)
  const created = store.create(web, T0 + 1_800_000)
  const kubelet = { component: 'kubelet', host: 'kind-worker' }
  recordEvent(
    store,
    targetOf(created),
    {
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-6799fc88d8-xkv8q to kind-worker',
      source: { component: 'default-scheduler' },
    },
    T0 + 1_800_000,
  )
  recordEvent(
    store,
    targetOf(created),
    {
      type: 'Normal',
      reason: 'Pulled',
      message: 'Container image "nginx" already present on machine',
      source: kubelet,
      fieldPath: 'spec.containers{nginx}',
    },
    T0 + 1_801_000,
  )
  const worker = store.get('Node', undefined, 'kind-worker')!
  recordEvent(
    store,
    nodeTarget(worker),
    { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.', source: kubelet },
    T0 + 20_000,
  )
  recordEvent(
    store,
    nodeTarget(worker),
    { type: 'Normal', reason: 'NodeReady', message: 'Node kind-worker status is now: NodeReady', source: kubelet },
    T0 + 60_000,
  )
  // No containers: every node runs (its kubelet renews its lease).
  return { store, lab: fakeLab('/nonexistent') } as unknown as Cluster
}

describe('kubectl describe node (1.23 layout)', () => {
  it("shows a stopped node's lease as its kubelet last renewed it, before the node stopped", () => {
    const c = cluster()
    markStopped(addKindNode(c.lab, 'kind-worker', 0), NOW - 95_000)
    expect(describeNode(c, c.store.get('Node', undefined, 'kind-worker')!, NOW)).toContain(
      `  RenewTime:       ${new Date(NOW - 95_000 - 5_000).toUTCString().replace('GMT', '+0000')}\n`,
    )
  })

  it('prints the control plane', () => {
    const c = cluster()
    expect(describeNode(c, c.store.get('Node', undefined, 'kind-control-plane')!, NOW)).toBe(
      [
        'Name:               kind-control-plane',
        'Roles:              control-plane,master',
        'Labels:             beta.kubernetes.io/arch=amd64',
        '                    beta.kubernetes.io/os=linux',
        '                    kubernetes.io/arch=amd64',
        '                    kubernetes.io/hostname=kind-control-plane',
        '                    kubernetes.io/os=linux',
        '                    node-role.kubernetes.io/control-plane=',
        '                    node-role.kubernetes.io/master=',
        '                    node.kubernetes.io/exclude-from-external-load-balancers=',
        'Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock',
        '                    node.alpha.kubernetes.io/ttl: 0',
        '                    volumes.kubernetes.io/controller-managed-attach-detach: true',
        'CreationTimestamp:  Thu, 18 Jul 2024 12:00:00 +0000',
        'Taints:             node-role.kubernetes.io/master:NoSchedule',
        'Unschedulable:      false',
        'Lease:',
        '  HolderIdentity:  kind-control-plane',
        '  AcquireTime:     <unset>',
        '  RenewTime:       Thu, 18 Jul 2024 13:00:00 +0000',
        'Conditions:',
        '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
        '  ----             ------  -----------------                 ------------------                ------                       -------',
        '  MemoryPressure   False   Thu, 18 Jul 2024 13:00:00 +0000   Thu, 18 Jul 2024 12:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available',
        '  DiskPressure     False   Thu, 18 Jul 2024 13:00:00 +0000   Thu, 18 Jul 2024 12:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure',
        '  PIDPressure      False   Thu, 18 Jul 2024 13:00:00 +0000   Thu, 18 Jul 2024 12:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available',
        '  Ready            True    Thu, 18 Jul 2024 13:00:00 +0000   Thu, 18 Jul 2024 12:00:00 +0000   KubeletReady                 kubelet is posting ready status',
        'Addresses:',
        '  InternalIP:  172.18.0.2',
        '  Hostname:    kind-control-plane',
        'Capacity:',
        '  cpu:                2',
        '  ephemeral-storage:  61255492Ki',
        '  hugepages-1Gi:      0',
        '  hugepages-2Mi:      0',
        '  memory:             4030124Ki',
        '  pods:               110',
        'Allocatable:',
        '  cpu:                2',
        '  ephemeral-storage:  61255492Ki',
        '  hugepages-1Gi:      0',
        '  hugepages-2Mi:      0',
        '  memory:             4030124Ki',
        '  pods:               110',
        'System Info:',
        '  Machine ID:                 8a5cbd2bd1a2458d8bdbd2b3e4f0a1c2',
        '  System UUID:                4c4c4544-0042-3610-8052-b4c04f384d32',
        '  Boot ID:                    fe1b9207-0b5a-422d-a603-a470f6ea0657',
        '  Kernel Version:             6.1.0-18-amd64',
        '  OS Image:                   Ubuntu 21.10',
        '  Operating System:           linux',
        '  Architecture:               amd64',
        '  Container Runtime Version:  containerd://1.5.10',
        '  Kubelet Version:            v1.23.4',
        '  Kube-Proxy Version:         v1.23.4',
        'PodCIDR:                      10.244.0.0/24',
        'PodCIDRs:                     10.244.0.0/24',
        'ProviderID:                   kind://docker/kind/kind-control-plane',
        'Non-terminated Pods:          (0 in total)',
        '  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age',
        '  ---------                   ----    ------------  ----------  ---------------  -------------  ---',
        'Allocated resources:',
        '  (Total limits may be over 100 percent, i.e., overcommitted.)',
        '  Resource           Requests  Limits',
        '  --------           --------  ------',
        '  cpu                0 (0%)    0 (0%)',
        '  memory             0 (0%)    0 (0%)',
        '  ephemeral-storage  0 (0%)    0 (0%)',
        '  hugepages-1Gi      0 (0%)    0 (0%)',
        '  hugepages-2Mi      0 (0%)    0 (0%)',
        'Events:              <none>',
        '',
      ].join('\n'),
    )
  })
  it('prints a worker', () => {
    const c = cluster()
    expect(describeNode(c, c.store.get('Node', undefined, 'kind-worker')!, NOW)).toBe(
      [
        'Name:               kind-worker',
        'Roles:              <none>',
        'Labels:             beta.kubernetes.io/arch=amd64',
        '                    beta.kubernetes.io/os=linux',
        '                    kubernetes.io/arch=amd64',
        '                    kubernetes.io/hostname=kind-worker',
        '                    kubernetes.io/os=linux',
        'Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock',
        '                    node.alpha.kubernetes.io/ttl: 0',
        '                    volumes.kubernetes.io/controller-managed-attach-detach: true',
        'CreationTimestamp:  Thu, 18 Jul 2024 12:00:20 +0000',
        'Taints:             <none>',
        'Unschedulable:      false',
        'Lease:',
        '  HolderIdentity:  kind-worker',
        '  AcquireTime:     <unset>',
        '  RenewTime:       Thu, 18 Jul 2024 13:00:00 +0000',
        'Conditions:',
        '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
        '  ----             ------  -----------------                 ------------------                ------                       -------',
        '  MemoryPressure   False   Thu, 18 Jul 2024 12:55:20 +0000   Thu, 18 Jul 2024 12:00:20 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available',
        '  DiskPressure     False   Thu, 18 Jul 2024 12:55:20 +0000   Thu, 18 Jul 2024 12:00:20 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure',
        '  PIDPressure      False   Thu, 18 Jul 2024 12:55:20 +0000   Thu, 18 Jul 2024 12:00:20 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available',
        '  Ready            True    Thu, 18 Jul 2024 12:55:20 +0000   Thu, 18 Jul 2024 12:00:20 +0000   KubeletReady                 kubelet is posting ready status',
        'Addresses:',
        '  InternalIP:  172.18.0.3',
        '  Hostname:    kind-worker',
        'Capacity:',
        '  cpu:                2',
        '  ephemeral-storage:  61255492Ki',
        '  hugepages-1Gi:      0',
        '  hugepages-2Mi:      0',
        '  memory:             4030124Ki',
        '  pods:               110',
        'Allocatable:',
        '  cpu:                2',
        '  ephemeral-storage:  61255492Ki',
        '  hugepages-1Gi:      0',
        '  hugepages-2Mi:      0',
        '  memory:             4030124Ki',
        '  pods:               110',
        'System Info:',
        '  Machine ID:                 0f4b3c9e8d7a4b6c9e1f2a3b4c5d6e7f',
        '  System UUID:                4c4c4544-0042-3610-8052-b4c04f384d32',
        '  Boot ID:                    fe1b9207-0b5a-422d-a603-a470f6ea0657',
        '  Kernel Version:             6.1.0-18-amd64',
        '  OS Image:                   Ubuntu 21.10',
        '  Operating System:           linux',
        '  Architecture:               amd64',
        '  Container Runtime Version:  containerd://1.5.10',
        '  Kubelet Version:            v1.23.4',
        '  Kube-Proxy Version:         v1.23.4',
        'PodCIDR:                      10.244.1.0/24',
        'PodCIDRs:                     10.244.1.0/24',
        'ProviderID:                   kind://docker/kind/kind-worker',
        'Non-terminated Pods:          (2 in total)',
        '  Namespace                   Name                    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age',
        '  ---------                   ----                    ------------  ----------  ---------------  -------------  ---',
        '  default                     web-6799fc88d8-xkv8q    0 (0%)        0 (0%)      0 (0%)           0 (0%)         30m',
        '  kube-system                 kube-proxy-9xk2p        0 (0%)        0 (0%)      0 (0%)           0 (0%)         59m',
        'Allocated resources:',
        '  (Total limits may be over 100 percent, i.e., overcommitted.)',
        '  Resource           Requests  Limits',
        '  --------           --------  ------',
        '  cpu                0 (0%)    0 (0%)',
        '  memory             0 (0%)    0 (0%)',
        '  ephemeral-storage  0 (0%)    0 (0%)',
        '  hugepages-1Gi      0 (0%)    0 (0%)',
        '  hugepages-2Mi      0 (0%)    0 (0%)',
        'Events:',
        '  Type    Reason     Age   From     Message',
        '  ----    ------     ----  ----     -------',
        '  Normal  Starting   59m   kubelet  Starting kubelet.',
        '  Normal  NodeReady  59m   kubelet  Node kind-worker status is now: NodeReady',
        '',
      ].join('\n'),
    )
  })
})

describe('kubectl describe pod (1.23 layout)', () => {
  it('prints a DaemonSet pod', () => {
    const c = cluster()
    expect(describePod(c, c.store.get('Pod', 'kube-system', 'kube-proxy-9xk2p')!, NOW)).toBe(
      [
        'Name:                 kube-proxy-9xk2p',
        'Namespace:            kube-system',
        'Priority:             2000001000',
        'Priority Class Name:  system-node-critical',
        'Node:                 kind-worker/172.18.0.3',
        'Start Time:           Thu, 18 Jul 2024 12:00:31 +0000',
        'Labels:               controller-revision-hash=7d8b5c9f4b',
        '                      k8s-app=kube-proxy',
        '                      pod-template-generation=1',
        'Annotations:          <none>',
        'Status:               Running',
        'IP:                   172.18.0.3',
        'IPs:',
        '  IP:           172.18.0.3',
        'Controlled By:  DaemonSet/kube-proxy',
        'Containers:',
        '  kube-proxy:',
        '    Container ID:   containerd://0b4567331214ffb133e799ac31a607c29ed0f492a7bffa49a6b5d2730728b947',
        '    Image:          k8s.gcr.io/kube-proxy:v1.23.4',
        '    Image ID:       k8s.gcr.io/kube-proxy@sha256:0a81230be8a6d43f7e262502ffb11a754a97f0aa2d015f6145af8e52c0315737',
        '    Port:           <none>',
        '    Host Port:      <none>',
        '    State:          Running',
        '      Started:      Thu, 18 Jul 2024 12:00:31 +0000',
        '    Ready:          True',
        '    Restart Count:  0',
        '    Environment:    <none>',
        '    Mounts:',
        '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-2jb5d (ro)',
        'Conditions:',
        '  Type              Status',
        '  Initialized       True ',
        '  Ready             True ',
        '  ContainersReady   True ',
        '  PodScheduled      True ',
        'Volumes:',
        '  kube-api-access-2jb5d:',
        '    Type:                    Projected (a volume that contains injected data from multiple sources)',
        '    TokenExpirationSeconds:  3607',
        '    ConfigMapName:           kube-root-ca.crt',
        '    ConfigMapOptional:       <nil>',
        '    DownwardAPI:             true',
        'QoS Class:                   BestEffort',
        'Node-Selectors:              kubernetes.io/os=linux',
        'Tolerations:                 op=Exists',
        'Events:                      <none>',
        '',
      ].join('\n'),
    )
  })
  it('prints a Deployment pod', () => {
    const c = cluster()
    expect(describePod(c, c.store.get('Pod', 'default', 'web-6799fc88d8-xkv8q')!, NOW)).toBe(
      [
        'Name:         web-6799fc88d8-xkv8q',
        'Namespace:    default',
        'Priority:     0',
        'Node:         kind-worker/172.18.0.3',
        'Start Time:   Thu, 18 Jul 2024 12:30:01 +0000',
        'Labels:       app=web',
        '              pod-template-hash=6799fc88d8',
        'Annotations:  <none>',
        'Status:       Running',
        'IP:           10.244.1.5',
        'IPs:',
        '  IP:           10.244.1.5',
        'Controlled By:  ReplicaSet/web-6799fc88d8',
        'Containers:',
        '  nginx:',
        '    Container ID:   containerd://7f7262e87c3bb3df6cb25555b837554dfbd5363a054e913463d4e681fb11ac6c',
        '    Image:          nginx',
        '    Image ID:       docker.io/library/nginx@sha256:3ba4dd6a4379947c7bcdad7ea32bbea56c84d3b2d8d605118fab11003f687646',
        '    Port:           80/TCP',
        '    Host Port:      0/TCP',
        '    State:          Running',
        '      Started:      Thu, 18 Jul 2024 12:30:01 +0000',
        '    Ready:          True',
        '    Restart Count:  0',
        '    Environment:    <none>',
        '    Mounts:',
        '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-d2zw9 (ro)',
        'Conditions:',
        '  Type              Status',
        '  Initialized       True ',
        '  Ready             True ',
        '  ContainersReady   True ',
        '  PodScheduled      True ',
        'Volumes:',
        '  kube-api-access-d2zw9:',
        '    Type:                    Projected (a volume that contains injected data from multiple sources)',
        '    TokenExpirationSeconds:  3607',
        '    ConfigMapName:           kube-root-ca.crt',
        '    ConfigMapOptional:       <nil>',
        '    DownwardAPI:             true',
        'QoS Class:                   BestEffort',
        'Node-Selectors:              <none>',
        'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
        'Events:',
        '  Type    Reason     Age   From               Message',
        '  ----    ------     ----  ----               -------',
        '  Normal  Scheduled  30m   default-scheduler  Successfully assigned default/web-6799fc88d8-xkv8q to kind-worker',
        '  Normal  Pulled     29m   kubelet            Container image "nginx" already present on machine',
        '',
      ].join('\n'),
    )
  })
})
