import { withApiDefaults } from '../cluster/api-defaults.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { type ResourceType, typeForKind } from '../cluster/resources.ts'
import { matches, parseSelector } from '../cluster/selector.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { API_SERVER } from '../kind/api-server.ts'
import { apiGroup, customResourceList, discoveredTypes, servedGroups } from './api-discovery.ts'
import { encode, goTrue, pretty, typedOrder, withoutTypeMeta } from './api-encoding.ts'
import { health } from './api-health.ts'
import { FieldSelectorError, fieldSelector } from './field-selector.ts'
import { VERSION_INFO } from './info-commands.ts'
import { KubectlError, notFound, type Out } from './kubectl-error.ts'
import { sortKeys } from './output.ts'

/** The API server's 404 for a path it does not serve, as kubectl prints a Status without details. */
const NOT_FOUND = 'Error from server (NotFound): the server could not find the requested resource'

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
  const served = group ? `${group}/${version}` : version
  const type = discoveredTypes(cluster.store).find(
    (t) =>
      t.group === group &&
      t.plural === plural &&
      (t.version === version || typeForKind(cluster.store, served, t.kind) !== undefined),
  )
  if (!type || (namespace !== undefined && !type.namespaced)) return undefined
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
  if (rest.length === 2) {
    const list = customResourceList(cluster.store, group.name, rest[1])
    return list ? encode(list) : refuseResourceList(path, group.name)
  }
  return resource(cluster, path, query, group.name, rest[1], rest.slice(2))
}

/** A group version's APIResourceList carries each resource's verbs and subresources, which the twin does not keep. */
function refuseResourceList(path: string, group: string): never {
  throw new NotEmulatedError(
    'kubectl',
    `get --raw ${path}`,
    `kubectl api-resources --api-group=${group || "''"} lists its resources; kubectl get --raw ${path === '/api/v1' ? '/api/v1/namespaces/default/pods' : `${path}/PLURAL`} reads them.`,
  )
}
