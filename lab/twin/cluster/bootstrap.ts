import { release } from 'node:os'
import { cidrText, parseCidr, subnet } from './ipv4.ts'
import { machineCapacity, machineIds } from './node-machine.ts'
import type { ClusterRecord, KObject } from './store.ts'
import { systemConfigMaps } from './system-config-maps.ts'

export const KUBERNETES_VERSION = 'v1.23.4'
export const NODE_IMAGE = `kindest/node:${KUBERNETES_VERSION}`
/** kind's kubelet `clusterDomain` and `clusterDNS`: CoreDNS's kube-dns service takes the 10th address of 10.96.0.0/16. */
export const CLUSTER_DOMAIN = 'cluster.local'
export const CLUSTER_DNS_IP = '10.96.0.10'

/** The kind cluster's node names get podCIDRs in the order their kubelets registered. */
export function podCidrOrder(cluster: ClusterRecord): string[] {
  // The control plane registers first; workers join in parallel and the last-listed usually wins the race,
  // which is the order the seed lab shows (worker3 10.98.1.0/24 ... worker 10.98.3.0/24).
  const controlPlanes = cluster.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name)
  const workers = cluster.nodes
    .filter((n) => n.role === 'worker')
    .map((n) => n.name)
    .reverse()
  return [...controlPlanes, ...workers]
}

/** The kubelet's Ready condition until a CNI is up (what it reports at registration and after a restart). */
export const notReady = {
  type: 'Ready',
  status: 'False',
  reason: 'KubeletNotReady',
  message:
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
}

function nodeObject(cluster: ClusterRecord, node: ClusterRecord['nodes'][number], podCIDR: string): KObject {
  const controlPlane = node.role === 'control-plane'
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node-role.kubernetes.io/master': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : {}),
        ...node.labels,
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR,
      podCIDRs: [podCIDR],
      providerID: `kind://docker/${cluster.name}/${node.name}`,
      taints: [
        ...(controlPlane ? [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] : []),
        { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      ],
    },
    status: {
      conditions: [notReady],
      addresses: [{ type: 'Hostname', address: node.name }],
      nodeInfo: {
        ...machineIds(cluster.name, node.name),
        kubeletVersion: KUBERNETES_VERSION,
        kubeProxyVersion: KUBERNETES_VERSION,
        osImage: 'Ubuntu 21.10',
        kernelVersion: release(),
        containerRuntimeVersion: 'containerd://1.5.10',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      capacity: machineCapacity(),
      allocatable: machineCapacity(),
    },
  }
}

const namespace = (name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  status: { phase: 'Active' },
})

const container = (name: string, image: string) => ({ name, image })

/** A static pod the kubelet runs from /etc/kubernetes/manifests on the control plane. */
function staticPod(component: string, node: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${component}-${node}`, namespace: 'kube-system', labels: { component, tier: 'control-plane' } },
    spec: {
      nodeName: node,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      containers: [
        container(component, `k8s.gcr.io/${component}:${component === 'etcd' ? '3.5.1-0' : KUBERNETES_VERSION}`),
      ],
    },
  }
}

const everywhere = [{ operator: 'Exists' }]

/** kube-controller-manager's own accounts in kube-system (1.23, `--use-service-account-credentials` as kubeadm sets it). */
const CONTROLLER_ACCOUNTS = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'service-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-after-finished-controller',
  'ttl-controller',
]

const serviceAccount = (namespace: string, name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace },
})

/**
 * What a fresh kind cluster holds: namespaces, nodes, the control plane's pods, kube-proxy, CoreDNS and local-path,
 * the system service accounts and ConfigMaps (each namespace's `default` account and CA come from namespace-objects.ts).
 */
export function bootstrapObjects(cluster: ClusterRecord): KObject[] {
  const pods = parseCidr(cluster.podSubnet)
  const order = podCidrOrder(cluster)
  const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane')!.name
  const kubeSystem = 'kube-system'
  return [
    ...['default', 'kube-node-lease', 'kube-public', kubeSystem, 'local-path-storage'].map(namespace),
    ...cluster.nodes.map((node) => nodeObject(cluster, node, cidrText(subnet(pods, 24, order.indexOf(node.name))))),
    ...['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => staticPod(c, controlPlane)),
    ...[...CONTROLLER_ACCOUNTS, 'coredns', 'kube-proxy'].map((name) => serviceAccount(kubeSystem, name)),
    serviceAccount('local-path-storage', 'local-path-provisioner-service-account'),
    ...systemConfigMaps(cluster),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: kubeSystem,
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: CLUSTER_DNS_IP,
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: kubeSystem, labels: { 'k8s-app': 'kube-proxy' } },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            hostNetwork: true,
            tolerations: everywhere,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [container('kube-proxy', `k8s.gcr.io/kube-proxy:${KUBERNETES_VERSION}`)],
          },
        },
      },
    },
    coredns(),
    deployment(
      'local-path-provisioner',
      'local-path-storage',
      1,
      { app: 'local-path-provisioner' },
      container('local-path-provisioner', 'docker.io/rancher/local-path-provisioner:v0.0.14'),
      '5ddd94ff66',
    ),
  ]
}

/**
 * CoreDNS as kubeadm 1.23 deploys it (cmd/kubeadm/app/phases/addons/dns/manifests.go CoreDNSDeployment): critical
 * priority, the add-on and both control-plane taints tolerated (the old `master` key and `control-plane`), Linux
 * nodes only, its Corefile argument, DNS and metrics ports and resources; it resolves with the node's resolv.conf
 * (`dnsPolicy: Default`): it is the cluster's DNS.
 */
function coredns(): KObject {
  const object = deployment(
    'coredns',
    'kube-system',
    2,
    { 'k8s-app': 'kube-dns' },
    {
      ...container('coredns', 'k8s.gcr.io/coredns/coredns:v1.8.6'),
      args: ['-conf', '/etc/coredns/Corefile'],
      ports: [
        { containerPort: 53, name: 'dns', protocol: 'UDP' },
        { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
        { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
      ],
      resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
    },
    '64897985d',
  )
  Object.assign(object.spec.template.spec, {
    priorityClassName: 'system-cluster-critical',
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    dnsPolicy: 'Default',
  })
  return object
}

/**
 * A Deployment of system pods; `hash` pins the pod-template-hash the real image's manifests produce, so pod names
 * read like the seed lab's (coredns-64897985d-...).
 */
export function deployment(
  name: string,
  ns: string,
  replicas: number,
  labels: Record<string, string>,
  c: { name: string; image: string; [field: string]: unknown },
  hash?: string,
  hostNetwork = false,
): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels, ...(hash ? { annotations: { 'lab.twin/pod-template-hash': hash } } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [c],
          ...(hostNetwork
            ? { hostNetwork: true, tolerations: everywhere }
            : { tolerations: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] }),
        },
      },
    },
  }
}
