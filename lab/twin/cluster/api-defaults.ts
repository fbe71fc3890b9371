import type { KObject } from './store.ts'

/**
 * The fields the API server of 1.23 fills in that the twin's store does not keep: scheme defaults (SetDefaults_*),
 * the pod admission plugins' (ServiceAccount, Priority, DefaultTolerationSeconds) and metadata.generation. Applied
 * when an object is printed whole (`-o yaml|json`, templates), so what the user reads is what kind would return.
 * The store stays as the controllers wrote it: they compare objects and must not see these fields churn.
 */
export function withApiDefaults(object: KObject): KObject {
  const o = structuredClone(object)
  const spec = o.spec
  if (GENERATION_KINDS.has(o.kind) || (o.apiVersion.includes('.') && spec)) o.metadata.generation ??= 1
  if (!spec) return o
  switch (o.kind) {
    case 'Pod':
      podDefaults(spec)
      podAdmission(spec)
      break
    case 'Deployment':
      templateDefaults(spec.template)
      spec.progressDeadlineSeconds ??= 600
      spec.replicas ??= 1
      spec.revisionHistoryLimit ??= 10
      spec.strategy = { type: 'RollingUpdate', ...spec.strategy }
      if (spec.strategy.type === 'RollingUpdate')
        spec.strategy.rollingUpdate = { maxSurge: '25%', maxUnavailable: '25%', ...spec.strategy.rollingUpdate }
      break
    case 'DaemonSet':
      templateDefaults(spec.template)
      spec.revisionHistoryLimit ??= 10
      spec.updateStrategy = { type: 'RollingUpdate', ...spec.updateStrategy }
      if (spec.updateStrategy.type === 'RollingUpdate')
        spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1, ...spec.updateStrategy.rollingUpdate }
      break
    case 'ReplicaSet':
      templateDefaults(spec.template)
      break
    case 'Service':
      serviceDefaults(spec)
      o.status ??= { loadBalancer: {} }
      break
  }
  return o
}

/** Kinds whose registry strategy keeps metadata.generation (custom resources always do). */
const GENERATION_KINDS = new Set([
  'Deployment',
  'DaemonSet',
  'ReplicaSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'CustomResourceDefinition',
  'Ingress',
  'NetworkPolicy',
  'PodDisruptionBudget',
])

/** SetDefaults_Container: Always for `:latest` or an untagged image, else IfNotPresent. */
function containerDefaults(c: any): void {
  const image: string = c.image ?? ''
  const tag = /:([^:/@]+)$/.exec(image.split('@')[0])?.[1]
  c.imagePullPolicy ??= image.includes('@')
    ? 'IfNotPresent'
    : tag === undefined || tag === 'latest'
      ? 'Always'
      : 'IfNotPresent'
  c.resources ??= {}
  c.terminationMessagePath ??= '/dev/termination-log'
  c.terminationMessagePolicy ??= 'File'
  for (const port of c.ports ?? []) port.protocol ??= 'TCP'
}

/** SetDefaults_PodSpec, as a pod template gets it too. */
function podDefaults(spec: any): void {
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) containerDefaults(c)
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.restartPolicy ??= 'Always'
  spec.schedulerName ??= 'default-scheduler'
  spec.securityContext ??= {}
  spec.terminationGracePeriodSeconds ??= 30
}

function templateDefaults(template: any): void {
  if (!template) return
  template.metadata ??= {}
  template.metadata.creationTimestamp ??= null
  if (template.spec) podDefaults(template.spec)
}

/** What only a pod gets: SetDefaults_Pod's enableServiceLinks and the admission plugins of a kubeadm API server. */
function podAdmission(spec: any): void {
  spec.enableServiceLinks ??= true
  spec.preemptionPolicy ??= 'PreemptLowerPriority'
  spec.priority ??=
    spec.priorityClassName === 'system-node-critical'
      ? 2000001000
      : spec.priorityClassName === 'system-cluster-critical'
        ? 2000000000
        : 0
  spec.serviceAccountName ??= 'default'
  spec.serviceAccount ??= spec.serviceAccountName
  const tolerations: any[] = (spec.tolerations ??= [])
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const covered = tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'))
    if (!covered) tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 })
  }
}

/** SetDefaults_Service and the service REST storage's single-stack IPv4 fields (kind's default family). */
function serviceDefaults(spec: any): void {
  spec.type ??= 'ClusterIP'
  spec.sessionAffinity ??= 'None'
  if (spec.type !== 'ExternalName') {
    if (spec.clusterIP) spec.clusterIPs ??= [spec.clusterIP]
    spec.internalTrafficPolicy ??= 'Cluster'
    spec.ipFamilies ??= ['IPv4']
    spec.ipFamilyPolicy ??= 'SingleStack'
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster'
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP'
    port.targetPort ??= port.port
  }
}
