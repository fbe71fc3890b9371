import { describe, expect, it } from 'vitest'
import { reconcileLbIpam } from '../cluster/controllers/lb-ipam.ts'
import { ciliumCrds, metallbCrds } from '../cluster/crds.ts'
import { findType, typeFromCrd } from '../cluster/resources.ts'
import { type KObject, ObjectStore } from '../cluster/store.ts'
import { toTable } from './printers.ts'
import { tabwrite } from './tabwriter.ts'

/** Golden tables from the seed lab's transcripts. */
const NOW = Date.parse('2024-07-18T12:00:00Z')
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z')
const store = new ObjectStore(null)
const print = (type: string, objects: KObject[], wide = false) => {
  const t = toTable(
    findType(store, type) ??
      typeFromCrd([...ciliumCrds(true), ...metallbCrds()].find((c) => c.spec.names.plural === type)!),
    objects,
    { wide, withNamespace: false, now: NOW },
  )
  return tabwrite([t.headers, ...t.rows])
}

function node(name: string, ip: string, ageSeconds: number, controlPlane = false): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      creationTimestamp: ago(ageSeconds),
      labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' } : {},
    },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'False' }],
      addresses: [{ type: 'InternalIP', address: ip }],
      nodeInfo: {
        kubeletVersion: 'v1.23.4',
        osImage: 'Ubuntu 21.10',
        kernelVersion: '5.11.5-051105-generic',
        containerRuntimeVersion: 'containerd://1.5.10',
      },
    },
  }
}

function pod(name: string, ip: string, nodeName: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: ago(18) },
    spec: { nodeName, containers: [{ name: 'nettoolbox', image: 'nettool' }] },
    status: { phase: 'Running', podIP: ip, containerStatuses: [{ ready: true, state: { running: {} } }] },
  }
}

describe('kubectl get tables match the seed', () => {
  it('get node -o wide', () => {
    expect(
      print(
        'nodes',
        [
          node('clab-bgp-control-plane', '10.1.5.10', 333, true),
          node('clab-bgp-worker', '10.1.5.11', 295),
          node('clab-bgp-worker2', '10.1.8.10', 294),
          node('clab-bgp-worker3', '10.1.8.11', 307),
        ],
        true,
      ),
    ).toBe(`NAME                     STATUS     ROLES                  AGE     VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE       KERNEL-VERSION          CONTAINER-RUNTIME
clab-bgp-control-plane   NotReady   control-plane,master   5m33s   v1.23.4   10.1.5.10     <none>        Ubuntu 21.10   5.11.5-051105-generic   containerd://1.5.10
clab-bgp-worker          NotReady   <none>                 4m55s   v1.23.4   10.1.5.11     <none>        Ubuntu 21.10   5.11.5-051105-generic   containerd://1.5.10
clab-bgp-worker2         NotReady   <none>                 4m54s   v1.23.4   10.1.8.10     <none>        Ubuntu 21.10   5.11.5-051105-generic   containerd://1.5.10
clab-bgp-worker3         NotReady   <none>                 5m7s    v1.23.4   10.1.8.11     <none>        Ubuntu 21.10   5.11.5-051105-generic   containerd://1.5.10
`)
  })

  it('get pods -o wide', () => {
    expect(
      print(
        'pods',
        [
          pod('cni-5nrdx', '10.98.1.39', 'clab-bgp-worker3'),
          pod('cni-8cnm5', '10.98.0.18', 'clab-bgp-control-plane'),
          pod('cni-lzwwq', '10.98.2.249', 'clab-bgp-worker2'),
          pod('cni-rcbdx', '10.98.3.166', 'clab-bgp-worker'),
        ],
        true,
      ),
    ).toBe(`NAME        READY   STATUS    RESTARTS   AGE   IP            NODE                     NOMINATED NODE   READINESS GATES
cni-5nrdx   1/1     Running   0          18s   10.98.1.39    clab-bgp-worker3         <none>           <none>
cni-8cnm5   1/1     Running   0          18s   10.98.0.18    clab-bgp-control-plane   <none>           <none>
cni-lzwwq   1/1     Running   0          18s   10.98.2.249   clab-bgp-worker2         <none>           <none>
cni-rcbdx   1/1     Running   0          18s   10.98.3.166   clab-bgp-worker          <none>           <none>
`)
  })

  it('get svc, pending and assigned', () => {
    const svc = (ingress: string[]): KObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cni', namespace: 'default', creationTimestamp: ago(78 * 60) },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.10.182',
        ports: [{ port: 80, nodePort: 31354, protocol: 'TCP' }],
      },
      status: { loadBalancer: ingress.length ? { ingress: ingress.map((ip) => ({ ip })) } : {} },
    })
    const kubernetes: KObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: ago(97 * 60) },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ port: 443, protocol: 'TCP' }] },
    }
    expect(
      print('services', [svc(['172.18.0.200']), kubernetes]),
    ).toBe(`NAME         TYPE           CLUSTER-IP     EXTERNAL-IP    PORT(S)        AGE
cni          LoadBalancer   10.96.10.182   172.18.0.200   80:31354/TCP   78m
kubernetes   ClusterIP      10.96.0.1      <none>         443/TCP        97m
`)
    expect(print('services', [svc([])]).split('\n')[1]).toBe(
      'cni    LoadBalancer   10.96.10.182   <pending>     80:31354/TCP   78m',
    )
  })

  it('get ciliumloadbalancerippool with status from LB-IPAM', () => {
    const s = new ObjectStore(null)
    for (const crd of ciliumCrds(true)) s.create(crd)
    const created = NOW - 197_000
    s.create(
      {
        apiVersion: 'cilium.io/v2alpha1',
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name: 'blue-pool' },
        spec: {
          disabled: false,
          cidrs: [{ cidr: '20.0.10.0/24' }],
          serviceSelector: { matchExpressions: [{ key: 'color', operator: 'In', values: ['blue', 'cyan'] }] },
        },
      },
      created,
    )
    s.create(
      {
        apiVersion: 'cilium.io/v2alpha1',
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name: 'red-pool' },
        spec: {
          disabled: false,
          cidrs: [{ cidr: '30.0.10.0/24' }],
          serviceSelector: { matchLabels: { color: 'red' } },
        },
      },
      created,
    )
    s.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cni', namespace: 'default', labels: { color: 'red' } },
      spec: { type: 'LoadBalancer' },
    })
    reconcileLbIpam(s)
    const t = toTable(findType(s, 'ippools')!, s.list('CiliumLoadBalancerIPPool'), {
      wide: false,
      withNamespace: false,
      now: NOW,
    })
    expect(tabwrite([t.headers, ...t.rows])).toBe(`NAME        DISABLED   CONFLICTING   IPS AVAILABLE   AGE
blue-pool   false      False         254             3m17s
red-pool    false      False         253             3m17s
`)
  })

  it('get ipaddresspool and l2advertisement (no AGE column)', () => {
    const pool: KObject = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'ippool', namespace: 'metallb-system' },
      spec: { addresses: ['172.18.0.200-172.18.0.210'], autoAssign: true, avoidBuggyIPs: false },
    }
    expect(print('ipaddresspools', [pool])).toBe(`NAME     AUTO ASSIGN   AVOID BUGGY IPS   ADDRESSES
ippool   true          false             ["172.18.0.200-172.18.0.210"]
`)
    const l2: KObject = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'ippool', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['ippool'] },
    }
    expect(
      print('l2advertisements', [l2])
        .split('\n')
        .map((l) => l.trimEnd()),
    ).toEqual(['NAME     IPADDRESSPOOLS   IPADDRESSPOOL SELECTORS   INTERFACES', 'ippool   ["ippool"]', ''])
  })

  it("prints a pod's restarts with the age of the latest container end, as printPod does since 1.22", () => {
    const pod = (name: string, restarts: number, finishedAt?: string): KObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, creationTimestamp: ago(600) },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'c',
            ready: true,
            restartCount: restarts,
            ...(finishedAt ? { lastState: { terminated: { exitCode: 255, reason: 'Unknown', finishedAt } } } : {}),
          },
        ],
      },
    })
    expect(
      print('pods', [pod('fresh', 0), pod('rebooted', 1, ago(65))]),
    ).toBe(`NAME       READY   STATUS    RESTARTS      AGE
fresh      1/1     Running   0             10m
rebooted   1/1     Running   1 (65s ago)   10m
`)
  })
})
