import { describe, expect, it } from 'vitest'
import type { Cluster } from '../cluster/cluster.ts'
import { recordEvent, targetOf } from '../cluster/events.ts'
import { findType } from '../cluster/resources.ts'
import { type KObject, ObjectStore } from '../cluster/store.ts'
import { eventsSection } from './describe.ts'
import { toTable } from './printers.ts'
import { tabwrite } from './tabwriter.ts'

/** Events as kubectl 1.23 prints them, against what it printed for a Deployment's pod on kind. */
const T0 = Date.parse('2024-07-18T12:00:00Z')
const pod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'nginx-6799fc88d8-xkv8q', namespace: 'default', uid: 'u1' },
}

function podStarted(store: ObjectStore): void {
  const kubelet = { component: 'kubelet', host: 'kind-worker' }
  const path = 'spec.containers{nginx}'
  recordEvent(
    store,
    targetOf(pod),
    {
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned default/nginx-6799fc88d8-xkv8q to kind-worker',
      source: { component: 'default-scheduler' },
    },
    T0,
  )
  recordEvent(
    store,
    targetOf(pod),
    {
      type: 'Normal',
      reason: 'Pulled',
      message: 'Container image "nginx" already present on machine',
      source: kubelet,
      fieldPath: path,
    },
    T0 + 1000,
  )
  recordEvent(
    store,
    targetOf(pod),
    { type: 'Normal', reason: 'Created', message: 'Created container nginx', source: kubelet, fieldPath: path },
    T0 + 1000,
  )
  recordEvent(
    store,
    targetOf(pod),
    { type: 'Normal', reason: 'Started', message: 'Started container nginx', source: kubelet, fieldPath: path },
    T0 + 1000,
  )
}

describe('kubectl get events', () => {
  it('prints LAST SEEN, TYPE, REASON, OBJECT, MESSAGE in the API server order (by name), and -o wide', () => {
    const store = new ObjectStore(null)
    podStarted(store)
    const node: KObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kind-worker', uid: 'n1' } }
    recordEvent(
      store,
      targetOf(node),
      {
        type: 'Normal',
        reason: 'RegisteredNode',
        message: 'Node kind-worker event: Registered Node kind-worker in Controller',
        source: { component: 'node-controller' },
      },
      T0 - 300_000,
    )
    const type = findType(store, 'events')!
    const table = toTable(type, store.list('Event', 'default'), { wide: false, withNamespace: false, now: T0 + 10_000 })
    expect(tabwrite([table.headers, ...table.rows])).toBe(
      [
        'LAST SEEN   TYPE     REASON           OBJECT                       MESSAGE',
        '5m10s       Normal   RegisteredNode   node/kind-worker             Node kind-worker event: Registered Node kind-worker in Controller',
        '10s         Normal   Scheduled        pod/nginx-6799fc88d8-xkv8q   Successfully assigned default/nginx-6799fc88d8-xkv8q to kind-worker',
        '9s          Normal   Pulled           pod/nginx-6799fc88d8-xkv8q   Container image "nginx" already present on machine',
        '9s          Normal   Created          pod/nginx-6799fc88d8-xkv8q   Created container nginx',
        '9s          Normal   Started          pod/nginx-6799fc88d8-xkv8q   Started container nginx',
        '',
      ].join('\n'),
    )
    const wide = toTable(type, store.list('Event', 'default').slice(2, 3), {
      wide: true,
      withNamespace: true,
      now: T0 + 10_000,
    })
    expect(wide.headers).toEqual([
      'NAMESPACE',
      'LAST SEEN',
      'TYPE',
      'REASON',
      'OBJECT',
      'SUBOBJECT',
      'SOURCE',
      'MESSAGE',
      'FIRST SEEN',
      'COUNT',
      'NAME',
    ])
    expect(wide.rows[0].slice(0, 10)).toEqual([
      'default',
      '9s',
      'Normal',
      'Pulled',
      'pod/nginx-6799fc88d8-xkv8q',
      'spec.containers{nginx}',
      'kubelet, kind-worker',
      'Container image "nginx" already present on machine',
      '9s',
      '1',
    ])
    expect(wide.rows[0][10]).toMatch(/^nginx-6799fc88d8-xkv8q\.[0-9a-f]{16}$/)
  })

  it("aggregates a repeat into count and lastTimestamp, as client-go's EventCorrelator", () => {
    const store = new ObjectStore(null)
    const svc: KObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cni', namespace: 'default', uid: 's1' },
    }
    const allocated = {
      type: 'Normal' as const,
      reason: 'IPAllocated',
      message: 'Assigned IP ["172.18.0.200"]',
      source: { component: 'metallb-controller' },
    }
    recordEvent(store, targetOf(svc), allocated, T0)
    recordEvent(store, targetOf(svc), allocated, T0 + 60_000)
    expect(store.list('Event')).toHaveLength(1)
    expect(store.list('Event')[0]).toMatchObject({
      count: 2,
      firstTimestamp: '2024-07-18T12:00:00Z',
      lastTimestamp: '2024-07-18T12:01:00Z',
      involvedObject: { kind: 'Service', name: 'cni', uid: 's1' },
    })
  })
})

describe('kubectl describe: the Events section', () => {
  it('is a table of its own (padding 2), oldest first, a repeat as "<last> (xN over <first>)", From the component only', () => {
    const store = new ObjectStore(null)
    podStarted(store)
    recordEvent(
      store,
      targetOf(pod),
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        source: { component: 'kubelet', host: 'kind-worker' },
      },
      T0 + 2000,
    )
    recordEvent(
      store,
      targetOf(pod),
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        source: { component: 'kubelet', host: 'kind-worker' },
      },
      T0 + 5000,
    )
    const cluster = { store } as Cluster
    expect(eventsSection(cluster, targetOf(pod), 'Events:  <none>\n', T0 + 10_000)).toBe(
      [
        'Events:',
        '  Type     Reason     Age              From               Message',
        '  ----     ------     ----             ----               -------',
        '  Normal   Scheduled  10s              default-scheduler  Successfully assigned default/nginx-6799fc88d8-xkv8q to kind-worker',
        '  Normal   Pulled     9s               kubelet            Container image "nginx" already present on machine',
        '  Normal   Created    9s               kubelet            Created container nginx',
        '  Normal   Started    9s               kubelet            Started container nginx',
        '  Warning  BackOff    5s (x2 over 8s)  kubelet            Back-off restarting failed container',
        '',
      ].join('\n'),
    )
    expect(eventsSection(cluster, { ...targetOf(pod), uid: 'another' }, 'Events:  <none>\n')).toBe('Events:  <none>\n')
  })
})
