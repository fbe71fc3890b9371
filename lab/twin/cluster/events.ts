import type { KObject, ObjectStore } from './store.ts'

/** What an event is about (v1 ObjectReference): an object of the store, or one the twin has no object for (a ReplicaSet). */
export interface EventTarget {
  apiVersion: string
  kind: string
  name: string
  namespace?: string
  /** The kubelet and kube-proxy name a Node by its name as uid (kubelet's nodeRef), as `kubectl describe node` looks them up. */
  uid?: string
}

/** One occurrence, as a component's EventRecorder is given it. */
export interface EventInput {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  /** The component that records it (`kubelet`, `default-scheduler`, `metallb-controller`) and, for node agents, the node. */
  source: { component: string; host?: string }
  /** The part of the object it concerns: `spec.containers{nginx}` for the kubelet's container events. */
  fieldPath?: string
}

/** kube-apiserver's --event-ttl default: events older than this are gone from `kubectl get events`. */
const EVENT_TTL_MS = 60 * 60 * 1000

/** Events are second-resolution metav1.Time, like every timestamp the store writes. */
const stamp = (now: number) => new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z')

/** The reference to a stored object. */
export const targetOf = (o: KObject): EventTarget => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  ...(o.metadata.uid ? { uid: o.metadata.uid } : {}),
})

/** A Node as the kubelet and kube-proxy name it: its name stands for its uid. */
export const nodeTarget = (node: KObject): EventTarget => ({
  apiVersion: 'v1',
  kind: 'Node',
  name: node.metadata.name,
  uid: node.metadata.name,
})

let sequence = 0

/**
 * client-go's event name, `<object>.<UnixNano in hex>`: the API server lists events by name, so `kubectl get events`
 * shows them grouped by object and, within one, in order. A sequence keeps names of one millisecond distinct and ordered.
 */
const eventName = (target: EventTarget, now: number) =>
  `${target.name}.${(BigInt(now) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)}`

const sameOccurrence = (e: KObject, target: EventTarget, input: EventInput) =>
  e.involvedObject.kind === target.kind &&
  e.involvedObject.name === target.name &&
  e.involvedObject.uid === target.uid &&
  (e.involvedObject.fieldPath ?? '') === (input.fieldPath ?? '') &&
  e.type === input.type &&
  e.reason === input.reason &&
  e.message === input.message &&
  e.source.component === input.source.component &&
  (e.source.host ?? '') === (input.source.host ?? '')

/**
 * Records a v1 Event as client-go's EventRecorder does: in the object's namespace (`default` for cluster-scoped
 * objects), and a repeat of the same occurrence (EventCorrelator's aggregation key) bumps count and lastTimestamp of
 * the existing event instead of adding one. Events past the API server's TTL are dropped on the way.
 */
export function recordEvent(store: ObjectStore, target: EventTarget, input: EventInput, now = Date.now()): void {
  const namespace = target.namespace || 'default'
  for (const old of store.list('Event')) {
    if (Date.parse(old.lastTimestamp ?? old.metadata.creationTimestamp) < now - EVENT_TTL_MS)
      store.delete('Event', old.metadata.namespace, old.metadata.name)
  }
  const repeat = store.list('Event', namespace).find((e) => sameOccurrence(e, target, input))
  if (repeat) {
    store.patch('Event', namespace, repeat.metadata.name, (e) => {
      e.count = (e.count ?? 1) + 1
      e.lastTimestamp = stamp(now)
    })
    return
  }
  store.create(
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(target, now), namespace },
      involvedObject: { ...target, ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}) },
      reason: input.reason,
      message: input.message,
      source: input.source,
      firstTimestamp: stamp(now),
      lastTimestamp: stamp(now),
      count: 1,
      type: input.type,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    },
    now,
  )
}

/** Whether an event of `reason` about the object with this uid was recorded (controllers record once per transition). */
export const hasEvent = (store: ObjectStore, uid: string | undefined, reason: string, fieldPath?: string): boolean =>
  store
    .list('Event')
    .some(
      (e) =>
        e.involvedObject.uid === uid &&
        e.reason === reason &&
        (fieldPath === undefined || e.involvedObject.fieldPath === fieldPath),
    )

/**
 * The events `kubectl describe` shows for a target (its searchEvents: involvedObject name, namespace, kind and uid),
 * oldest last-seen first as its SortableEvents orders them; ties keep the API server's name order.
 */
export function eventsAbout(store: ObjectStore, target: EventTarget): KObject[] {
  const time = (e: KObject) => Date.parse(e.lastTimestamp ?? e.firstTimestamp ?? '') || 0
  return store
    .list('Event', target.namespace || 'default')
    .filter(
      (e) =>
        e.involvedObject.name === target.name &&
        e.involvedObject.kind === target.kind &&
        (target.uid === undefined || e.involvedObject.uid === target.uid),
    )
    .sort((a, b) => time(a) - time(b))
}
