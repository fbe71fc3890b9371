import type { KObject } from '../cluster/store.ts'
import { valueAt } from './values.ts'

/** Chart versions the lab's offline index of https://helm.cilium.io holds. */
export const CILIUM_VERSIONS = ['1.13.0-rc5']

const labels = (app: string) => ({ 'k8s-app': app, 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/managed-by': 'Helm' })

/**
 * The objects `helm install cilium cilium/cilium` creates that the emulated agent and operator act on. The agent
 * reads its settings from the cilium-config ConfigMap, as the real one does.
 */
export function ciliumObjects(namespace: string, version: string, values: Record<string, unknown>): KObject[] {
  const str = (path: string, fallback: string) => String(valueAt(values, path) ?? fallback)
  const image = `quay.io/cilium/cilium:v${version}`
  const config = {
    'cluster-name': str('cluster.name', 'default'),
    ipam: str('ipam.mode', 'cluster-pool'),
    'cluster-pool-ipv4-cidr': str('ipam.operator.clusterPoolIPv4PodCIDRList', '10.0.0.0/8').replace(/^\{|\}$/g, '').split(',')[0],
    'cluster-pool-ipv4-mask-size': str('ipam.operator.clusterPoolIPv4MaskSize', '24'),
    tunnel: str('tunnel', 'vxlan'),
    'ipv4-native-routing-cidr': str('ipv4NativeRoutingCIDR', ''),
    'enable-bgp-control-plane': str('bgpControlPlane.enabled', 'false'),
    'k8s-require-ipv4-pod-cidr': str('k8s.requireIPv4PodCIDR', 'false'),
    debug: str('debug.enabled', 'false'),
    'debug-verbose': str('debug.verbose', ''),
    'monitor-aggregation': str('monitorAggregation', 'medium'),
  }
  const meta = (name: string, app: string) => ({ name, namespace, labels: labels(app), annotations: { 'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': namespace } })
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('cilium', 'cilium') },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('cilium-operator', 'cilium-operator') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cilium-config', 'cilium'), data: config },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('cilium', 'cilium'),
      spec: {
        selector: { matchLabels: { 'k8s-app': 'cilium' } },
        template: {
          metadata: { labels: { 'k8s-app': 'cilium' } },
          spec: { hostNetwork: true, tolerations: [{ operator: 'Exists' }], nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'cilium-agent', image }] },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta('cilium-operator', 'cilium-operator'), annotations: { ...meta('', '').annotations, 'lab.twin/pod-template-hash': '76564696fd' } },
      spec: {
        replicas: Number(valueAt(values, 'operator.replicas') ?? 2),
        selector: { matchLabels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
        template: {
          metadata: { labels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
          spec: { hostNetwork: true, tolerations: [{ operator: 'Exists' }], containers: [{ name: 'cilium-operator', image: `quay.io/cilium/operator-generic:v${version}` }] },
        },
      },
    },
  ]
}
