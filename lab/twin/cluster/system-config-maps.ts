import { CLUSTER_DNS_IP, CLUSTER_DOMAIN, KUBERNETES_VERSION } from './bootstrap.ts'
import { CLUSTER_CA_DATA, CLUSTER_CA_PEM } from './cluster-ca.ts'
import type { ClusterRecord, KObject } from './store.ts'

const configMap = (
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels?: Record<string, string>,
): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  data,
})

/** kubeadm 1.23's Corefile (kind keeps it as is). Functions, not constants: bootstrap.ts imports this module. */
const corefile = () => `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`

/** The KubeProxyConfiguration kubeadm writes, with what kind's config patch sets (iptables, minSyncPeriod 1s). */
const kubeProxyConfig = (cluster: ClusterRecord) => `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: ${cluster.podSubnet}
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
metricsBindAddress: ""
mode: iptables
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
udpIdleTimeout: 0s
winkernel:
  enableDSR: false
  networkName: ""
  sourceVip: ""
`

const kubeProxyKubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: ${server}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`

const clusterConfiguration = (cluster: ClusterRecord, server: string) => `apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
  extraArgs:
    authorization-mode: Node,RBAC
    runtime-config: ""
  timeoutForControlPlane: 4m0s
apiVersion: kubeadm.k8s.io/v1beta3
certificatesDir: /etc/kubernetes/pki
clusterName: ${cluster.name}
controlPlaneEndpoint: ${server.replace('https://', '')}
controllerManager:
  extraArgs:
    enable-hostpath-provisioner: "true"
dns: {}
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: k8s.gcr.io
kind: ClusterConfiguration
kubernetesVersion: ${KUBERNETES_VERSION}
networking:
  dnsDomain: ${CLUSTER_DOMAIN}
  podSubnet: ${cluster.podSubnet}
  serviceSubnet: ${cluster.serviceSubnet}
scheduler: {}
`

const kubeletConfig = () => `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: cgroupfs
cgroupRoot: /kubelet
clusterDNS:
- ${CLUSTER_DNS_IP}
clusterDomain: ${CLUSTER_DOMAIN}
cpuManagerReconcilePeriod: 0s
evictionHard:
  imagefs.available: 0%
  nodefs.available: 0%
  nodefs.inodesFree: 0%
evictionPressureTransitionPeriod: 0s
failSwapOn: false
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageGCHighThresholdPercent: 100
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`

const clusterInfoKubeconfig = (server: string) => `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CLUSTER_CA_DATA}
    server: ${server}
  name: ""
contexts: null
current-context: ""
kind: Config
preferences: {}
users: null
`

/**
 * The ConfigMaps kubeadm and the control plane leave in a kind cluster: CoreDNS's Corefile, kube-proxy's and the
 * kubelet's configuration, kubeadm's ClusterConfiguration, the public cluster-info and the API server's
 * authentication settings. (kube-root-ca.crt in every namespace comes from the root CA publisher: namespace-objects.ts.)
 */
export function systemConfigMaps(cluster: ClusterRecord): KObject[] {
  const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane')!.name
  const server = `https://${controlPlane}:6443`
  return [
    configMap('kube-system', 'coredns', { Corefile: corefile() }),
    configMap(
      'kube-system',
      'kube-proxy',
      { 'config.conf': kubeProxyConfig(cluster), 'kubeconfig.conf': kubeProxyKubeconfig(server) },
      { app: 'kube-proxy' },
    ),
    configMap('kube-system', 'kubeadm-config', { ClusterConfiguration: clusterConfiguration(cluster, server) }),
    configMap('kube-system', `kubelet-config-${KUBERNETES_VERSION.slice(1).split('.').slice(0, 2).join('.')}`, {
      kubelet: kubeletConfig(),
    }),
    configMap('kube-public', 'cluster-info', { kubeconfig: clusterInfoKubeconfig(server) }),
    configMap('kube-system', 'extension-apiserver-authentication', {
      'client-ca-file': CLUSTER_CA_PEM,
      'requestheader-allowed-names': '["front-proxy-client"]',
      'requestheader-client-ca-file': CLUSTER_CA_PEM,
      'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
      'requestheader-group-headers': '["X-Remote-Group"]',
      'requestheader-username-headers': '["X-Remote-User"]',
    }),
  ]
}
