import type { KObject, ObjectStore } from './store.ts'

/** A printer column of a CustomResourceDefinition (`additionalPrinterColumns`). */
export interface PrinterColumn {
  name: string
  type: string
  jsonPath: string
  priority?: number
}

/** What discovery says about one resource type: how kubectl names it and whether it lives in a namespace. */
export interface ResourceType {
  kind: string
  group: string
  version: string
  plural: string
  singular: string
  shortNames: string[]
  namespaced: boolean
  /** Columns from the CRD; built-in types have printers of their own instead. */
  printerColumns?: PrinterColumn[]
}

const core = (
  kind: string,
  plural: string,
  shortNames: string[],
  namespaced: boolean,
  group = '',
  version = 'v1',
): ResourceType => ({
  kind,
  group,
  version,
  plural,
  singular: kind.toLowerCase(),
  shortNames,
  namespaced,
})

/** The built-in types of Kubernetes 1.23 the lab's objects use. */
export const builtinTypes: ResourceType[] = [
  core('Namespace', 'namespaces', ['ns'], false),
  core('Node', 'nodes', ['no'], false),
  core('Pod', 'pods', ['po'], true),
  core('Service', 'services', ['svc'], true),
  core('Endpoints', 'endpoints', ['ep'], true),
  core('Event', 'events', ['ev'], true),
  core('ConfigMap', 'configmaps', ['cm'], true),
  core('Secret', 'secrets', [], true),
  core('ServiceAccount', 'serviceaccounts', ['sa'], true),
  core('DaemonSet', 'daemonsets', ['ds'], true, 'apps'),
  core('Deployment', 'deployments', ['deploy'], true, 'apps'),
  core('ReplicaSet', 'replicasets', ['rs'], true, 'apps'),
  core('EndpointSlice', 'endpointslices', [], true, 'discovery.k8s.io'),
  core('Role', 'roles', [], true, 'rbac.authorization.k8s.io'),
  core('RoleBinding', 'rolebindings', [], true, 'rbac.authorization.k8s.io'),
  core('ClusterRole', 'clusterroles', [], false, 'rbac.authorization.k8s.io'),
  core('ClusterRoleBinding', 'clusterrolebindings', [], false, 'rbac.authorization.k8s.io'),
  core('CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], false, 'apiextensions.k8s.io'),
  core('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', [], false, 'admissionregistration.k8s.io'),
  core('StorageClass', 'storageclasses', ['sc'], false, 'storage.k8s.io'),
]

/** The resource type a CustomResourceDefinition object declares. */
export function typeFromCrd(crd: KObject): ResourceType {
  const { group, names, scope, versions } = crd.spec
  const version = versions.find((v: { storage?: boolean }) => v.storage) ?? versions[0]
  return {
    kind: names.kind,
    group,
    version: version.name,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    shortNames: names.shortNames ?? [],
    namespaced: scope === 'Namespaced',
    printerColumns: version.additionalPrinterColumns ?? [],
  }
}

/** Built-in types plus every type a stored CRD declares, as discovery would list them. */
export function resourceTypes(store: ObjectStore): ResourceType[] {
  return [...builtinTypes, ...store.list('CustomResourceDefinition').map(typeFromCrd)]
}

/** `apps/v1` -> ['apps', 'v1']; `v1` -> ['', 'v1']. */
export function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)]
}

export const apiVersionOf = (type: ResourceType) => (type.group ? `${type.group}/${type.version}` : type.version)

/** The type of an object given in a manifest, or undefined when the server has no such kind in that version. */
export function typeForKind(store: ObjectStore, apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = splitApiVersion(apiVersion)
  return resourceTypes(store).find(
    (t) =>
      t.kind === kind && t.group === group && (t.version === version || servedVersions(store, t).includes(version)),
  )
}

function servedVersions(store: ObjectStore, type: ResourceType): string[] {
  const crd = store.get('CustomResourceDefinition', undefined, `${type.plural}.${type.group}`)
  return crd ? crd.spec.versions.map((v: { name: string }) => v.name) : [type.version]
}

/**
 * Resolves what a user typed after `kubectl get` (`svc`, `services`, `service`, `Service`,
 * `ciliumloadbalancerippools.cilium.io`, `ippool`) to a type, like kubectl's RESTMapper.
 */
export function findType(store: ObjectStore, typed: string): ResourceType | undefined {
  return matchType(resourceTypes(store), typed)
}

/** findType over a given list of types (discovery's, for `get` of what the lab holds none of). */
export function matchType(types: ResourceType[], typed: string): ResourceType | undefined {
  const lower = typed.toLowerCase()
  const dot = lower.indexOf('.')
  const [name, group] = dot < 0 ? [lower, undefined] : [lower.slice(0, dot), lower.slice(dot + 1)]
  return types.find((t) => {
    if (group !== undefined && t.group !== group && `${t.version}.${t.group}` !== group) return false
    return t.plural === name || t.singular === name || t.kind.toLowerCase() === name || t.shortNames.includes(name)
  })
}

/** `daemonset.apps`, `service`, `ciliumbgppeeringpolicy.cilium.io`: how kubectl names a type in its messages. */
export const qualifiedSingular = (type: ResourceType) => (type.group ? `${type.singular}.${type.group}` : type.singular)
