import { atLeast } from '../cluster/crds.ts'
import type { KObject } from '../cluster/store.ts'
import { coalesceValues, valueAt } from './values.ts'

/** Chart versions the lab's offline index of https://helm.cilium.io holds: the seed's, and 1.18 for BGP v2. */
export const CILIUM_VERSIONS = ['1.13.0-rc5', '1.18.2']

/** A template's `fail` while rendering: helm prints it after the action's prefix (INSTALLATION FAILED, UPGRADE FAILED). */
export class ChartRenderError extends Error {}

/** The 1.15+ chart's validate.yaml refusal of the removed `tunnel` value (routingMode and tunnelProtocol replaced it). */
export const TUNNEL_REMOVED =
  'execution error at (cilium/templates/validate.yaml:41:5): tunnel was deprecated in v1.14 and has been removed in v1.15. For details please refer to https://docs.cilium.io/en/v1.15/operations/upgrade/#helm-options'

/**
 * The chart's defaults (its values.yaml) for the values the lab acts on: what `helm get values --all` shows under the
 * user's values, and what the objects get where the user set nothing.
 */
export const CILIUM_DEFAULTS: Record<string, unknown> = {
  bgpControlPlane: { enabled: false },
  cluster: { name: 'default' },
  debug: { enabled: false, verbose: null },
  ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4MaskSize: 24, clusterPoolIPv4PodCIDRList: ['10.0.0.0/8'] } },
  ipv4NativeRoutingCIDR: '',
  k8s: { requireIPv4PodCIDR: false },
  monitorAggregation: 'medium',
  operator: { replicas: 2 },
  tunnel: 'vxlan',
}

/** The chart's NOTES.txt as helm install, upgrade and status print it. */
export const ciliumNotes = (version: string) =>
  `You have successfully installed Cilium with Hubble.\n\nYour release version is ${version}.\n\nFor any further help, visit https://docs.cilium.io/en/v${version.split('.').slice(0, 2).join('.')}/gettinghelp`

const labels = (app: string) => ({
  'k8s-app': app,
  'app.kubernetes.io/part-of': 'cilium',
  'app.kubernetes.io/managed-by': 'Helm',
})

/**
 * The objects `helm install cilium cilium/cilium` creates that the emulated agent and operator act on. The agent
 * reads its settings from the cilium-config ConfigMap, as the real one does.
 */
export function ciliumObjects(namespace: string, version: string, userValues: Record<string, unknown>): KObject[] {
  const values = coalesceValues(CILIUM_DEFAULTS, userValues)
  const str = (path: string) => String(valueAt(values, path) ?? '')
  // 1.15 replaced `tunnel` with routingMode (tunnel by default) and tunnelProtocol, and refuses the old key.
  const routingMode = atLeast(version, 1, 15)
  if (routingMode && 'tunnel' in userValues) throw new ChartRenderError(TUNNEL_REMOVED)
  const image = `quay.io/cilium/cilium:v${version}`
  const config = {
    'cluster-name': str('cluster.name'),
    ipam: str('ipam.mode'),
    'cluster-pool-ipv4-cidr': str('ipam.operator.clusterPoolIPv4PodCIDRList')
      .replace(/^\{|\}$/g, '')
      .split(',')[0],
    'cluster-pool-ipv4-mask-size': str('ipam.operator.clusterPoolIPv4MaskSize'),
    ...(routingMode
      ? { 'routing-mode': str('routingMode') || 'tunnel', 'tunnel-protocol': str('tunnelProtocol') || 'vxlan' }
      : { tunnel: str('tunnel') }),
    'ipv4-native-routing-cidr': str('ipv4NativeRoutingCIDR'),
    'enable-bgp-control-plane': str('bgpControlPlane.enabled'),
    'k8s-require-ipv4-pod-cidr': str('k8s.requireIPv4PodCIDR'),
    debug: str('debug.enabled'),
    'debug-verbose': str('debug.verbose'),
    'monitor-aggregation': str('monitorAggregation'),
  }
  const meta = (name: string, app: string) => ({
    name,
    namespace,
    labels: labels(app),
    annotations: { 'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': namespace },
  })
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
          spec: {
            hostNetwork: true,
            tolerations: [{ operator: 'Exists' }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [{ name: 'cilium-agent', image }],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        ...meta('cilium-operator', 'cilium-operator'),
        annotations: { ...meta('', '').annotations, 'lab.twin/pod-template-hash': '76564696fd' },
      },
      spec: {
        replicas: Number(valueAt(values, 'operator.replicas')),
        selector: { matchLabels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
        template: {
          metadata: { labels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
          spec: {
            hostNetwork: true,
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'cilium-operator', image: `quay.io/cilium/operator-generic:v${version}` }],
          },
        },
      },
    },
  ]
}
