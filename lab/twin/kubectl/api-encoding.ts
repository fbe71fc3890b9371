import type { KObject } from '../cluster/store.ts'
import { sortKeys } from './output.ts'

/** A discovery object as the API server encodes it: compact JSON and a newline (runtime/serializer/json). */
export const encode = (body: unknown) => `${JSON.stringify(body)}\n`

/** What Go's strconv.ParseBool reads as true: the API server's `?pretty=` (handlers/rest.go isPrettyPrint). */
export const goTrue = (value: string | null) =>
  value !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)

/** The same body indented by two spaces, as the JSON serializer writes it when asked to be pretty. */
export const pretty = (body: string) => `${JSON.stringify(JSON.parse(body), null, 2)}\n`

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
export function typedOrder(o: KObject): KObject {
  const { kind, apiVersion, metadata, ...rest } = sortKeys(o) as KObject
  return {
    kind,
    apiVersion,
    metadata: ordered(metadata, META_ORDER),
    ...ordered(rest, TOP_ORDER[kind] ?? ['spec', 'status']),
  } as KObject
}

/** A typed list's item: the list's kind says what it is, so the item carries no kind or apiVersion. */
export function withoutTypeMeta(o: KObject): Record<string, unknown> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = typedOrder(o)
  return rest
}
