import { describe, expect, it } from 'vitest'
import type { KObject } from '../cluster/store.ts'
import { agentServices, formatServiceList } from './service-list.ts'

const svc = (name: string, created: string, spec: object, status: object = {}): KObject =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', creationTimestamp: created },
    spec,
    status,
  }) as KObject
const endpoints = (name: string, ips: string[], port: number): KObject =>
  ({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: 'default' },
    subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port, protocol: 'TCP' }] }],
  }) as KObject

describe('cilium service list (v1.13 agent)', () => {
  const services = [
    svc(
      'cni',
      '2023-02-01T10:00:05Z',
      { type: 'LoadBalancer', clusterIP: '10.96.54.1', ports: [{ port: 80, targetPort: 80 }] },
      { loadBalancer: { ingress: [{ ip: '172.18.0.200' }] } },
    ),
    svc('kubernetes', '2023-02-01T10:00:00Z', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443 }],
    }),
  ]
  const table = agentServices(services, [endpoints('cni', ['10.98.0.18', '10.98.2.249'], 80)])

  it('numbers the frontends in creation order: ClusterIP, then each LoadBalancer address with the same backends', () => {
    expect(table.map((s) => [s.id, s.frontend, s.type, s.backends.length])).toEqual([
      [1, '10.96.0.1:443', 'ClusterIP', 0],
      [2, '10.96.54.1:80', 'ClusterIP', 2],
      [3, '172.18.0.200:80', 'LoadBalancer', 2],
    ])
  })

  it('prints every column padded, further backends on their own rows', () => {
    expect(formatServiceList(table)).toBe(
      'ID   Frontend          Service Type   Backend                        \n' +
        '1    10.96.0.1:443     ClusterIP                                     \n' +
        '2    10.96.54.1:80     ClusterIP      1 => 10.98.0.18:80 (active)    \n' +
        '                                      2 => 10.98.2.249:80 (active)   \n' +
        '3    172.18.0.200:80   LoadBalancer   1 => 10.98.0.18:80 (active)    \n' +
        '                                      2 => 10.98.2.249:80 (active)   \n',
    )
  })
})
