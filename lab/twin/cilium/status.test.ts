import { describe, expect, it } from 'vitest'
import { type AgentStatus, formatStatus } from './status.ts'

const STATUS: AgentStatus = {
  kubernetesVersion: 'v1.23.4',
  ciliumVersion: '1.13.0-rc5',
  kubeProxyReplacement: 'disabled',
  cpus: 2,
  ipam: {
    cidr: '10.98.0.0/24',
    allocations: [
      { ip: '10.98.0.1', owner: 'router' },
      { ip: '10.98.0.18', owner: 'default/cni-8cnm5' },
    ],
  },
  routerIp: '10.98.0.1',
}

describe('cilium status (v1.13 agent)', () => {
  it('aligns the lines as the 1.13 agent does, with the node facts', () => {
    const lines = formatStatus(STATUS, false).split('\n')
    expect(lines[0]).toBe('KVStore:                 Ok   Disabled')
    expect(lines[1]).toBe('Kubernetes:              Ok   1.23 (v1.23.4) [linux/amd64]')
    expect(lines[2]).toMatch(
      /^Kubernetes APIs: {9}\["cilium\/v2::CiliumClusterwideNetworkPolicy", .*"networking.k8s.io\/v1::NetworkPolicy"\]$/,
    )
    expect(lines[3]).toBe('KubeProxyReplacement:    Disabled   ')
    expect(lines).toContain('Cilium:                  Ok   1.13.0-rc5 (v1.13.0-rc5)')
    expect(lines).toContain('NodeMonitor:             Listening for events on 2 CPUs with 64x4096 of shared memory')
    expect(lines).toContain('IPAM:                    IPv4: 2/254 allocated from 10.98.0.0/24, ')
    expect(lines).toContain('Proxy Status:            OK, ip 10.98.0.1, 0 redirects active on ports 10000-20000')
    expect(lines).toContain('Global Identity Range:   min 256, max 65535')
    expect(lines).not.toContain('Allocated addresses:')
  })

  it('lists the allocations, sorted, under IPAM with --verbose; the cell-less lines split the alignment as in Go', () => {
    const text = formatStatus(STATUS, true)
    expect(text).toContain(
      'IPAM:                   IPv4: 2/254 allocated from 10.98.0.0/24, \nAllocated addresses:\n  10.98.0.1 (router)\n  10.98.0.18 (default/cni-8cnm5)\nIPv6 BIG TCP:            Disabled\n',
    )
  })
})
