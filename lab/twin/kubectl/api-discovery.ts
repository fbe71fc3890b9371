import { type ResourceType, resourceTypes } from '../cluster/resources.ts'
import type { ObjectStore } from '../cluster/store.ts'

const row = (
  plural: string,
  shortNames: string,
  apiVersion: string,
  namespaced: boolean,
  kind: string,
): ResourceType => {
  const slash = apiVersion.indexOf('/')
  return {
    kind,
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
    plural,
    singular: kind.toLowerCase(),
    shortNames: shortNames ? shortNames.split(',') : [],
    namespaced,
  }
}

/**
 * What a kind v1.23.4 API server's discovery serves besides CRDs, each resource in its preferred version, as
 * `kubectl api-resources` lists it (ServerPreferredResources: autoscaling/v2 and flowcontrol v1beta2 are 1.23's
 * preferred versions; podsecuritypolicies and csistoragecapacities exist only in v1beta1). Bindings, reviews and
 * component statuses are served but hold nothing the lab keeps.
 */
const SERVED: ResourceType[] = [
  row('bindings', '', 'v1', true, 'Binding'),
  row('componentstatuses', 'cs', 'v1', false, 'ComponentStatus'),
  row('limitranges', 'limits', 'v1', true, 'LimitRange'),
  row('persistentvolumeclaims', 'pvc', 'v1', true, 'PersistentVolumeClaim'),
  row('persistentvolumes', 'pv', 'v1', false, 'PersistentVolume'),
  row('podtemplates', '', 'v1', true, 'PodTemplate'),
  row('replicationcontrollers', 'rc', 'v1', true, 'ReplicationController'),
  row('resourcequotas', 'quota', 'v1', true, 'ResourceQuota'),
  row('mutatingwebhookconfigurations', '', 'admissionregistration.k8s.io/v1', false, 'MutatingWebhookConfiguration'),
  row('apiservices', '', 'apiregistration.k8s.io/v1', false, 'APIService'),
  row('controllerrevisions', '', 'apps/v1', true, 'ControllerRevision'),
  row('statefulsets', 'sts', 'apps/v1', true, 'StatefulSet'),
  row('tokenreviews', '', 'authentication.k8s.io/v1', false, 'TokenReview'),
  row('localsubjectaccessreviews', '', 'authorization.k8s.io/v1', true, 'LocalSubjectAccessReview'),
  row('selfsubjectaccessreviews', '', 'authorization.k8s.io/v1', false, 'SelfSubjectAccessReview'),
  row('selfsubjectrulesreviews', '', 'authorization.k8s.io/v1', false, 'SelfSubjectRulesReview'),
  row('subjectaccessreviews', '', 'authorization.k8s.io/v1', false, 'SubjectAccessReview'),
  row('horizontalpodautoscalers', 'hpa', 'autoscaling/v2', true, 'HorizontalPodAutoscaler'),
  row('cronjobs', 'cj', 'batch/v1', true, 'CronJob'),
  row('jobs', '', 'batch/v1', true, 'Job'),
  row('certificatesigningrequests', 'csr', 'certificates.k8s.io/v1', false, 'CertificateSigningRequest'),
  row('leases', '', 'coordination.k8s.io/v1', true, 'Lease'),
  row('endpointslices', '', 'discovery.k8s.io/v1', true, 'EndpointSlice'),
  row('events', 'ev', 'events.k8s.io/v1', true, 'Event'),
  row('flowschemas', '', 'flowcontrol.apiserver.k8s.io/v1beta2', false, 'FlowSchema'),
  row('prioritylevelconfigurations', '', 'flowcontrol.apiserver.k8s.io/v1beta2', false, 'PriorityLevelConfiguration'),
  row('ingressclasses', '', 'networking.k8s.io/v1', false, 'IngressClass'),
  row('ingresses', 'ing', 'networking.k8s.io/v1', true, 'Ingress'),
  row('networkpolicies', 'netpol', 'networking.k8s.io/v1', true, 'NetworkPolicy'),
  row('runtimeclasses', '', 'node.k8s.io/v1', false, 'RuntimeClass'),
  row('poddisruptionbudgets', 'pdb', 'policy/v1', true, 'PodDisruptionBudget'),
  row('podsecuritypolicies', 'psp', 'policy/v1beta1', false, 'PodSecurityPolicy'),
  row('priorityclasses', 'pc', 'scheduling.k8s.io/v1', false, 'PriorityClass'),
  row('csidrivers', '', 'storage.k8s.io/v1', false, 'CSIDriver'),
  row('csinodes', '', 'storage.k8s.io/v1', false, 'CSINode'),
  row('csistoragecapacities', '', 'storage.k8s.io/v1beta1', true, 'CSIStorageCapacity'),
  row('volumeattachments', '', 'storage.k8s.io/v1', false, 'VolumeAttachment'),
]

/**
 * Every resource discovery lists: the types the lab's store knows (built-in and every installed CRD's) and the rest
 * of what the API server serves, sorted as `kubectl api-resources` sorts them (group, then name).
 */
export function discoveredTypes(store: ObjectStore): ResourceType[] {
  const known = resourceTypes(store)
  const key = (t: ResourceType) => `${t.group}/${t.plural}`
  const held = new Set(known.map(key))
  return [...known, ...SERVED.filter((t) => !held.has(key(t)))].sort((a, b) =>
    a.group < b.group ? -1 : a.group > b.group ? 1 : a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0,
  )
}
