import { createHash } from 'node:crypto'
import { withApiDefaults } from '../cluster/api-defaults.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { apiVersionOf, type ResourceType } from '../cluster/resources.ts'
import { matches, parseSelector } from '../cluster/selector.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { API_SERVER } from '../kind/api-server.ts'
import { discoveredTypes, type ServedGroup, servedGroups } from './api-discovery.ts'
import { FieldSelectorError, fieldSelector } from './field-selector.ts'
import { VERSION_INFO } from './info-commands.ts'
import { KubectlError, notFound, type Out } from './kubectl-error.ts'

/** The API server's 404 for a path it does not serve, as kubectl prints a Status without details. */
const NOT_FOUND = 'Error from server (NotFound): the server could not find the requested resource'

/**
 * kube-apiserver 1.23's health checks in the order it registers them, as `kubectl get --raw '/healthz?verbose'`
 * lists them on a kind v1.23.4 cluster. /livez has the same; /readyz adds informer-sync after etcd and shutdown last
 * (kubernetes/kubernetes v1.23 staging/src/k8s.io/apiserver/pkg/server/config.go AddReadyzChecks with
 * informer-sync, genericapiserver's shutdown check; test/e2e/apimachinery/health_handlers.go names the required ones).
 */
const HEALTH_CHECKS = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-kube-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/bootstrap-controller',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-status-available-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
]

const checksOf = (endpoint: string) =>
  endpoint === 'readyz'
    ? [...HEALTH_CHECKS.slice(0, 3), 'informer-sync', ...HEALTH_CHECKS.slice(3), 'shutdown']
    : HEALTH_CHECKS

/**
 * A health endpoint as apiserver's healthz handler writes it (staging/src/k8s.io/apiserver/pkg/server/healthz/
 * healthz.go handleRootHealth): `ok` with no newline; with `?verbose`, a `[+]NAME ok` line per check and
 * `NAME check passed`. `/readyz/etcd` answers for one check.
 */
function health(endpoint: string, check: string | undefined, query: URLSearchParams): string | undefined {
  const checks = checksOf(endpoint)
  if (check !== undefined) return checks.includes(check) ? 'ok' : undefined
  if (!query.has('verbose')) return 'ok'
  return `${checks.map((name) => `[+]${name} ok\n`).join('')}${endpoint} check passed\n`
}

/** A discovery object as the API server encodes it: compact JSON and a newline (runtime/serializer/json). */
const encode = (body: unknown) => `${JSON.stringify(body)}\n`

/** What Go's strconv.ParseBool reads as true: the API server's `?pretty=` (handlers/rest.go isPrettyPrint). */
const goTrue = (value: string | null) => value !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)

/** The same body indented by two spaces, as the JSON serializer writes it when asked to be pretty. */
const pretty = (body: string) => `${JSON.stringify(JSON.parse(body), null, 2)}\n`

const groupVersion = (group: string, version: string) => ({ groupVersion: `${group}/${version}`, version })

/** One group of `/apis` (metav1.APIGroup): its versions, and the first as the preferred one. */
const apiGroup = (g: ServedGroup) => ({
  name: g.name,
  versions: g.versions.map((v) => groupVersion(g.name, v)),
  preferredVersion: groupVersion(g.name, g.versions[0]),
})

/**
 * Where clients reach the API server from inside the cluster: kind advertises the control plane node's address on
 * its network, port 6443. None while the node has no address yet (its container has no network in the twin).
 */
function serverAddresses(cluster: Cluster): { clientCIDR: string; serverAddress: string }[] {
  const node = cluster.store
    .list('Node')
    .find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined)
  const ip = node?.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address
  return ip ? [{ clientCIDR: '0.0.0.0/0', serverAddress: `${ip}:${API_SERVER.containerPort}` }] : []
}

/**
 * An object or list at a REST path (`/api/v1/namespaces/NS/pods[/NAME]`, `/apis/GROUP/VERSION/PLURAL[/NAME]`), as the
 * API server returns it. Lists are typed (`PodList` with the store's resourceVersion); a built-in list's items carry
 * no kind or apiVersion (typed items), a custom resource list is unstructured and keeps them, with `continue: ""`.
 */
function resource(
  cluster: Cluster,
  path: string,
  query: URLSearchParams,
  group: string,
  version: string,
  rest: string[],
): string | undefined {
  let namespace: string | undefined
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const [plural, name, subresource] = rest
  if (rest.length >= 3 && Object.hasOwn(SUBRESOURCES, subresource))
    throw new NotEmulatedError('kubectl', `get --raw ${path}`, SUBRESOURCES[subresource])
  if (rest.length < 1 || rest.length > 2) return undefined
  const type = discoveredTypes(cluster.store).find(
    (t) => t.group === group && t.plural === plural && servedVersions(cluster, t).includes(version),
  )
  if (!type || (namespace !== undefined && !type.namespaced)) return undefined
  const served = group ? `${group}/${version}` : version
  const asServed = (o: KObject) => ({ ...withApiDefaults(o), apiVersion: served })
  // A custom resource is unstructured: Go's encoder writes its maps with sorted keys.
  const custom = Boolean(type.printerColumns)
  if (name !== undefined) {
    if (type.namespaced && namespace === undefined) return undefined
    const object = cluster.store.get(type.kind, namespace, name)
    if (!object) throw new KubectlError(notFound(type, name))
    return encode(custom ? sortKeys(asServed(object)) : typedOrder(asServed(object)))
  }
  const items = cluster.store
    .list(type.kind, namespace)
    .filter(listFilter(type, query, path))
    .map(asServed)
    .map((o) => (custom ? sortKeys(o) : withoutTypeMeta(o)))
  const metadata = custom
    ? { continue: '', resourceVersion: cluster.store.resourceVersion }
    : { resourceVersion: cluster.store.resourceVersion }
  return encode(
    custom
      ? { apiVersion: served, items, kind: `${type.kind}List`, metadata }
      : { kind: `${type.kind}List`, apiVersion: served, metadata, items },
  )
}

/**
 * A list request's query as the API server reads it: labelSelector and fieldSelector filter (a field it does not
 * support is its BadRequest); watch, limit and continue change what it streams or pages, which the twin does not do.
 */
function listFilter(type: ResourceType, query: URLSearchParams, path: string): (o: KObject) => boolean {
  for (const name of ['watch', 'limit', 'continue'])
    if (query.has(name))
      throw new NotEmulatedError(
        'kubectl',
        `get --raw ${path}?${name}`,
        name === 'watch'
          ? 'kubectl get TYPE -w follows the changes.'
          : 'The twin answers a list whole: leave out limit.',
      )
  const labels = query.get('labelSelector')
  const selector = labels ? parseSelector(labels) : undefined
  let fields: (o: KObject) => boolean = () => true
  const fieldText = query.get('fieldSelector')
  try {
    if (fieldText) fields = fieldSelector(fieldText, type.kind)
  } catch (error) {
    if (!(error instanceof FieldSelectorError)) throw error
    throw new KubectlError(`Error from server (BadRequest): ${error.message}`)
  }
  return (o) => (!selector || matches(selector, o.metadata.labels ?? {})) && fields(o)
}

/** Subresources the API server serves that the twin does not keep apart from the object. */
const SUBRESOURCES: Record<string, string> = {
  log: 'kubectl logs -n NAMESPACE POD prints the log.',
  status: "kubectl get TYPE NAME -o jsonpath='{.status}' prints the status.",
  scale: 'kubectl get TYPE NAME -o jsonpath={.spec.replicas} prints the replicas.',
  proxy: "The twin's API server proxies nothing: kubectl port-forward svc/NAME LOCAL:PORT reaches a service.",
}

/** The versions a type is served at: every served version of its CRD, or the built-in type's one. */
function servedVersions(cluster: Cluster, type: ResourceType): string[] {
  const crd = cluster.store.get('CustomResourceDefinition', undefined, `${type.plural}.${type.group}`)
  if (!crd) return [apiVersionOf(type).split('/').at(-1)!]
  return crd.spec.versions.filter((v: { served: boolean }) => v.served).map((v: { name: string }) => v.name)
}

/** Keys sorted at every level, as Go's encoding/json writes a map (unstructured objects). */
function sortKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  )
}

/**
 * ObjectMeta's fields in its Go struct's order (k8s.io/apimachinery v0.23 pkg/apis/meta/v1/types.go), which the API
 * server's encoder follows for a built-in object.
 */
const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'clusterName',
  'managedFields',
]

/** The top-level fields after metadata of the built-in kinds the lab holds (k8s.io/api v0.23 types.go). */
const TOP_ORDER: Record<string, string[]> = {
  ConfigMap: ['immutable', 'data', 'binaryData'],
  Secret: ['immutable', 'data', 'stringData', 'type'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Endpoints: ['subsets'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  Role: ['rules'],
  ClusterRole: ['rules', 'aggregationRule'],
  RoleBinding: ['subjects', 'roleRef'],
  ClusterRoleBinding: ['subjects', 'roleRef'],
  Event: [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
  ],
}

/** `object`'s keys in `order`, the ones it does not name after them, sorted. */
function ordered(object: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const keys = [
    ...order.filter((k) => Object.hasOwn(object, k)),
    ...Object.keys(object).filter((k) => !order.includes(k)),
  ]
  return Object.fromEntries(keys.map((k) => [k, object[k]]))
}

/**
 * A built-in object with its top level and metadata in their Go structs' order (kind, apiVersion, metadata, then
 * spec and status or the kind's own fields). Deeper fields stay sorted: the twin does not carry every struct's order.
 */
function typedOrder(o: KObject): KObject {
  const { kind, apiVersion, metadata, ...rest } = sortKeys(o)
  return {
    kind,
    apiVersion,
    metadata: ordered(metadata, META_ORDER),
    ...ordered(rest, TOP_ORDER[kind] ?? ['spec', 'status']),
  } as KObject
}

function withoutTypeMeta(o: KObject): Record<string, unknown> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = typedOrder(o)
  return rest
}

/**
 * `kubectl get --raw URI`: the body the lab's API server answers, written as it comes (kubectl 1.23
 * pkg/cmd/get/get.go RawGet streams the response to stdout): health endpoints, /version, discovery (/api, /apis,
 * /apis/GROUP), and objects and lists at their REST paths. Anything else is the API server's 404.
 */
export async function getRaw(cluster: Cluster, uri: string, out: Out): Promise<number> {
  await cluster.settle()
  const question = uri.indexOf('?')
  const path = question < 0 ? uri : uri.slice(0, question)
  const query = new URLSearchParams(question < 0 ? '' : uri.slice(question + 1))
  const body = answer(cluster, path, query)
  if (body === undefined) throw new KubectlError(NOT_FOUND)
  out.stdout(/^\/apis?(\/|$)/.test(path) && goTrue(query.get('pretty')) ? pretty(body) : body)
  return 0
}

/**
 * What kube-apiserver 1.23 also serves at its root (its `/` lists them) that the twin keeps no data for: metrics,
 * the OpenAPI document, the service account issuer's discovery, the control plane's logs and debug handlers.
 */
const SERVED_ELSEWHERE: Record<string, string> = {
  '': 'kubectl api-versions lists the API paths: /api/v1 and /apis/GROUP/VERSION.',
  metrics: 'The twin measures no API server metrics; kubectl get --raw /readyz?verbose shows its checks.',
  openapi: 'kubectl explain TYPE[.FIELD] shows the schema of the types the lab uses.',
  '.well-known': "The twin's API server issues no service account tokens.",
  openid: "The twin's API server issues no service account tokens.",
  logs: "Read a control plane pod's output with kubectl logs -n kube-system POD.",
  debug: 'kubectl get --raw /readyz?verbose shows the checks the API server runs.',
}

function answer(cluster: Cluster, path: string, query: URLSearchParams): string | undefined {
  const parts = path.split('/').filter(Boolean)
  const [first = '', ...rest] = parts
  if (Object.hasOwn(SERVED_ELSEWHERE, first))
    throw new NotEmulatedError('kubectl', `get --raw /${parts.join('/')}`, SERVED_ELSEWHERE[first])
  if (first === 'healthz' || first === 'livez' || first === 'readyz')
    return rest.length <= 1 ? health(first, rest[0], query) : undefined
  // /version is written with json.MarshalIndent and no newline (apiserver's WriteRawJSON).
  if (first === 'version' && rest.length === 0) return JSON.stringify(VERSION_INFO, null, 2)
  const groups = servedGroups(cluster.store)
  if (first === 'api') {
    if (rest.length === 0)
      return encode({
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: serverAddresses(cluster),
      })
    if (rest[0] !== 'v1') return undefined
    if (rest.length === 1) refuseResourceList('/api/v1', '')
    return resource(cluster, path, query, '', 'v1', rest.slice(1))
  }
  if (first !== 'apis') return undefined
  if (rest.length === 0) return encode({ kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) })
  const group = groups.find((g) => g.name === rest[0])
  if (!group) return undefined
  if (rest.length === 1) return encode({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) })
  if (!group.versions.includes(rest[1])) return undefined
  if (rest.length === 2) return customResourceList(cluster, group.name, rest[1]) ?? refuseResourceList(path, group.name)
  return resource(cluster, path, query, group.name, rest[1], rest.slice(2))
}

/**
 * A CRD group version's APIResourceList as apiextensions-apiserver serves it (kubernetes/kubernetes v1.23
 * staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/customresource_discovery_controller.go sync): each served
 * CRD of the group with its accepted names, the verbs of a CRD that is not terminating and the storage version's
 * hash, then its status subresource when the CRD declares one. The real controller lists CRDs in its informer's
 * (map) order; the twin lists them by name. Undefined for a built-in group.
 */
function customResourceList(cluster: Cluster, group: string, version: string): string | undefined {
  const crds = cluster.store.list('CustomResourceDefinition').filter((crd) => crd.spec.group === group)
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
  return encode({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources })
}

/**
 * discovery.StorageVersionHash (k8s.io/apiserver pkg/endpoints/discovery/storageversionhash.go): the first 8 bytes of
 * the sha256 of `group/version/Kind`, in base64 (`/v1/Pod` gives xPOwRZ+Yhw8=).
 */
const storageVersionHash = (group: string, version: string, kind: string) =>
  createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64')

/** A group version's APIResourceList carries each resource's verbs and subresources, which the twin does not keep. */
function refuseResourceList(path: string, group: string): never {
  throw new NotEmulatedError(
    'kubectl',
    `get --raw ${path}`,
    `kubectl api-resources --api-group=${group || "''"} lists its resources; kubectl get --raw ${path === '/api/v1' ? '/api/v1/namespaces/default/pods' : `${path}/PLURAL`} reads them.`,
  )
}
