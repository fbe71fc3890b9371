import { createHash } from 'node:crypto'
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

/**
 * The built-in group versions a kind v1.23.4 API server serves, each with the aggregator's priorities
 * (kubernetes/kubernetes v1.23 cmd/kube-apiserver/app/aggregator.go apiVersionPriorities: groups by descending
 * priority, a group's versions by descending version priority, the first being the preferred one). Which beta versions
 * 1.23 still serves: the deprecated API migration guide (kubernetes/website content/en/docs/reference/using-api/
 * deprecation-guide.md: v1beta1 of admissionregistration, apiextensions, apiregistration, authentication,
 * authorization, certificates, coordination, networking, rbac and scheduling gone in 1.22; batch, discovery, events,
 * node and policy v1beta1 and autoscaling/v2beta1 go in 1.25, flowcontrol v1beta1 and autoscaling/v2beta2 in 1.26,
 * storage v1beta1 in 1.27). apiregistration.k8s.io is the aggregator's own group and is listed first.
 */
const BUILTIN_GROUPS: readonly { name: string; priority: number; versions: string[] }[] = [
  { name: 'apiregistration.k8s.io', priority: Number.POSITIVE_INFINITY, versions: ['v1'] },
  { name: 'apps', priority: 17800, versions: ['v1'] },
  { name: 'events.k8s.io', priority: 17750, versions: ['v1', 'v1beta1'] },
  { name: 'authentication.k8s.io', priority: 17700, versions: ['v1'] },
  { name: 'authorization.k8s.io', priority: 17600, versions: ['v1'] },
  { name: 'autoscaling', priority: 17500, versions: ['v2', 'v1', 'v2beta1', 'v2beta2'] },
  { name: 'batch', priority: 17400, versions: ['v1', 'v1beta1'] },
  { name: 'certificates.k8s.io', priority: 17300, versions: ['v1'] },
  { name: 'networking.k8s.io', priority: 17200, versions: ['v1'] },
  { name: 'policy', priority: 17100, versions: ['v1', 'v1beta1'] },
  { name: 'rbac.authorization.k8s.io', priority: 17000, versions: ['v1'] },
  { name: 'storage.k8s.io', priority: 16800, versions: ['v1', 'v1beta1'] },
  { name: 'admissionregistration.k8s.io', priority: 16700, versions: ['v1'] },
  { name: 'apiextensions.k8s.io', priority: 16700, versions: ['v1'] },
  { name: 'scheduling.k8s.io', priority: 16600, versions: ['v1'] },
  { name: 'coordination.k8s.io', priority: 16500, versions: ['v1'] },
  { name: 'node.k8s.io', priority: 16300, versions: ['v1', 'v1beta1'] },
  { name: 'discovery.k8s.io', priority: 16200, versions: ['v1', 'v1beta1'] },
  { name: 'flowcontrol.apiserver.k8s.io', priority: 16100, versions: ['v1beta2', 'v1beta1'] },
]

/** One API group as discovery (`/apis`) lists it: its served versions, the preferred one first. */
export interface ServedGroup {
  name: string
  versions: string[]
}

/**
 * Every group `/apis` lists, in its order: the built-in ones, then each installed CRD's group (the CRD registration
 * controller gives them priority 1000, ties sorted by name; their versions in kube-aware order, v2 before v2alpha1,
 * as apiextensions' version sort ranks GA, then beta, then alpha).
 */
export function servedGroups(store: ObjectStore): ServedGroup[] {
  const custom = new Map<string, Set<string>>()
  for (const crd of store.list('CustomResourceDefinition')) {
    const versions = custom.get(crd.spec.group) ?? new Set<string>()
    for (const v of crd.spec.versions as { name: string; served: boolean }[]) if (v.served) versions.add(v.name)
    custom.set(crd.spec.group, versions)
  }
  const crdGroups = [...custom.keys()].sort().map((name) => ({
    name,
    versions: [...custom.get(name)!].sort(compareKubeAwareVersions),
  }))
  return [...BUILTIN_GROUPS.map(({ name, versions }) => ({ name, versions })), ...crdGroups]
}

/**
 * apimachinery's version.CompareKubeAwareVersionStrings as a sort: GA before beta before alpha, higher majors first,
 * then higher minors (v2 < v1 < v2beta1 < v1beta2 < v1beta1 < v1alpha1 in this order).
 */
function compareKubeAwareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v)
    return m
      ? { major: Number(m[1]), rank: m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, minor: Number(m[3] ?? 0) }
      : undefined
  }
  const x = parse(a)
  const y = parse(b)
  if (!x || !y) return x ? -1 : y ? 1 : a.localeCompare(b)
  return x.rank - y.rank || y.major - x.major || y.minor - x.minor
}

/**
 * `kubectl api-versions`: every group/version discovery serves, core's `v1` too, sorted as strings
 * (k8s.io/kubectl v1.23 pkg/cmd/apiresources/apiversions.go: metav1.ExtractGroupVersions, then sort.Strings).
 */
export function apiVersions(store: ObjectStore): string[] {
  return ['v1', ...servedGroups(store).flatMap((g) => g.versions.map((v) => `${g.name}/${v}`))].sort()
}

const groupVersion = (group: string, version: string) => ({ groupVersion: `${group}/${version}`, version })

/** One group of `/apis` (metav1.APIGroup): its versions, and the first as the preferred one. */
export const apiGroup = (g: ServedGroup) => ({
  name: g.name,
  versions: g.versions.map((v) => groupVersion(g.name, v)),
  preferredVersion: groupVersion(g.name, g.versions[0]),
})

/**
 * A CRD group version's APIResourceList as apiextensions-apiserver serves it (kubernetes/kubernetes v1.23
 * staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/customresource_discovery_controller.go sync): each served
 * CRD of the group with its accepted names, the verbs of a CRD that is not terminating and the storage version's
 * hash, then its status subresource when the CRD declares one. The real controller lists CRDs in its informer's
 * (map) order; the twin lists them by name. Undefined for a built-in group.
 */
export function customResourceList(store: ObjectStore, group: string, version: string): object | undefined {
  const crds = store.list('CustomResourceDefinition').filter((crd) => crd.spec.group === group)
  if (crds.length === 0) return undefined
  const resources = crds.flatMap((crd) => {
    const versions: { name: string; served: boolean; storage: boolean; subresources?: { status?: unknown } }[] =
      crd.spec.versions
    const served = versions.find((v) => v.served && v.name === version)
    if (!served) return []
    const storage = versions.find((v) => v.storage)!
    const { names, scope } = crd.spec
    const namespaced = scope === 'Namespaced'
    return [
      {
        name: names.plural,
        singularName: names.singular ?? '',
        namespaced,
        kind: names.kind,
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
        ...(names.categories?.length ? { categories: names.categories } : {}),
        storageVersionHash: storageVersionHash(group, storage.name, names.kind),
      },
      ...(served.subresources?.status
        ? [
            {
              name: `${names.plural}/status`,
              singularName: '',
              namespaced,
              kind: names.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]
  })
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources }
}

/**
 * discovery.StorageVersionHash (k8s.io/apiserver pkg/endpoints/discovery/storageversionhash.go): the first 8 bytes of
 * the sha256 of `group/version/Kind`, in base64 (`/v1/Pod` gives xPOwRZ+Yhw8=).
 */
const storageVersionHash = (group: string, version: string, kind: string) =>
  createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64')
