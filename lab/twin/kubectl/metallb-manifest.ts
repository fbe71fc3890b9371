import { metallbCrds } from '../cluster/crds.ts'
import type { KObject } from '../cluster/store.ts'

/** The path every copy of the MetalLB 0.13.10 native manifest URL ends with (mirrors prefix the raw GitHub URL). */
export const METALLB_MANIFEST_PATH =
  'raw.githubusercontent.com/metallb/metallb/v0.13.10/config/manifests/metallb-native.yaml'

const ns = 'metallb-system'
const labels = { app: 'metallb' }
const meta = (name: string, namespaced = true, extra: Record<string, string> = {}) => ({
  name,
  ...(namespaced ? { namespace: ns } : {}),
  labels: { ...labels, ...extra },
})
const rbac = 'rbac.authorization.k8s.io/v1'
const controlPlaneTolerations = [
  { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
]

function podTemplate(component: string, hostNetwork: boolean) {
  return {
    metadata: { labels: { app: 'metallb', component } },
    spec: {
      ...(hostNetwork ? { hostNetwork: true, tolerations: controlPlaneTolerations } : {}),
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      serviceAccountName: component,
      containers: [
        { name: component, image: `quay.io/metallb/${component}:v0.13.10`, args: ['--port=7472', '--log-level=info'] },
      ],
    },
  }
}

/** The objects of metallb-native.yaml v0.13.10, in the manifest's order (what `kubectl apply` lists). */
export function metallbManifest(): KObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/audit': 'privileged',
          'pod-security.kubernetes.io/warn': 'privileged',
        },
      },
    },
    ...metallbCrds(),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('controller') },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('speaker') },
    { apiVersion: rbac, kind: 'Role', metadata: meta('controller'), rules: [] },
    { apiVersion: rbac, kind: 'Role', metadata: meta('pod-lister'), rules: [] },
    { apiVersion: rbac, kind: 'ClusterRole', metadata: meta('metallb-system:controller', false), rules: [] },
    { apiVersion: rbac, kind: 'ClusterRole', metadata: meta('metallb-system:speaker', false), rules: [] },
    {
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: meta('controller'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'controller', namespace: ns }],
    },
    {
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: meta('pod-lister'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-lister' },
      subjects: [{ kind: 'ServiceAccount', name: 'speaker', namespace: ns }],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: meta('metallb-system:controller', false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metallb-system:controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'controller', namespace: ns }],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: meta('metallb-system:speaker', false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metallb-system:speaker' },
      subjects: [{ kind: 'ServiceAccount', name: 'speaker', namespace: ns }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('metallb-excludel2'),
      data: {
        'excludel2.yaml':
          'announcedInterfacesToExclude: ["^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*", "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", "^nodelocaldns.*"]\n',
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('webhook-server-cert'), type: 'Opaque' },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('webhook-service'),
      spec: { ports: [{ port: 443, targetPort: 9443, protocol: 'TCP' }], selector: { component: 'controller' } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('controller', true, { component: 'controller' }),
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'metallb', component: 'controller' } },
        template: podTemplate('controller', false),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('speaker', true, { component: 'speaker' }),
      spec: {
        selector: { matchLabels: { app: 'metallb', component: 'speaker' } },
        template: podTemplate('speaker', true),
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'metallb-webhook-configuration' },
      webhooks: [],
    },
  ]
}
