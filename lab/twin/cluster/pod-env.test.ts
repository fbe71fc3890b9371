import { describe, expect, it } from 'vitest'
import { podEnv, serviceEnv } from './pod-env.ts'
import { ObjectStore } from './store.ts'

const service = (name: string, namespace: string, spec: object, created = '2026-01-01T00:00:00Z') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, creationTimestamp: created },
  spec,
})

describe("a pod's environment", () => {
  it("has the kubelet's variables for a service, as envvars.go writes them", () => {
    // The kubernetes service of every cluster: one named port, https 443.
    expect(
      serviceEnv(service('kubernetes', 'default', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] })),
    ).toEqual([
      'KUBERNETES_SERVICE_HOST=10.96.0.1',
      'KUBERNETES_SERVICE_PORT=443',
      'KUBERNETES_SERVICE_PORT_HTTPS=443',
      'KUBERNETES_PORT=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_PORT_443_TCP_PORT=443',
      'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
    ])
    expect(
      serviceEnv(
        service('kube-dns', 'kube-system', {
          clusterIP: '10.96.0.10',
          ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
        }),
      ),
    ).toContain('KUBE_DNS_PORT_53_UDP_PROTO=udp')
    expect(serviceEnv(service('headless', 'default', { clusterIP: 'None', ports: [{ port: 80 }] }))).toEqual([])
  })

  it("is the image's PATH, the host name, the container's env and the services that existed when it started", () => {
    const store = new ObjectStore(null)
    const add = (object: ReturnType<typeof service>) =>
      store.create(object, Date.parse(object.metadata.creationTimestamp))
    add(service('kubernetes', 'default', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }))
    add(service('cni', 'default', { clusterIP: '10.96.7.7', ports: [{ port: 80 }] }))
    add(service('later', 'default', { clusterIP: '10.96.8.8', ports: [{ port: 80 }] }, '2026-06-01T00:00:00Z'))
    add(service('kube-dns', 'kube-system', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53 }] }))
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2026-02-01T00:00:00Z' },
      spec: {
        nodeName: 'clab-bgp-worker',
        containers: [
          {
            name: 'c',
            env: [
              { name: 'A', value: '1' },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            ],
          },
        ],
      },
    }
    const env = podEnv(store, pod, 'web-1', true)
    expect(env.slice(0, 5)).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=web-1',
      'TERM=xterm',
      'A=1',
      'NODE=clab-bgp-worker',
    ])
    expect(env).toContain('CNI_SERVICE_HOST=10.96.7.7')
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1')
    expect(env.join('\n')).not.toMatch(/LATER_|KUBE_DNS_/)
    expect(env.at(-1)).toBe('HOME=/root')
    expect(
      podEnv(store, { ...pod, spec: { ...pod.spec, enableServiceLinks: false } }, 'web-1', false).join('\n'),
    ).not.toMatch(/CNI_/)
  })
})
