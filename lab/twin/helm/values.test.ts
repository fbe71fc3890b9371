import { describe, expect, it } from 'vitest'
import { ciliumObjects } from './cilium-chart.ts'
import { parseSet, valueAt } from './values.ts'

describe('helm --set', () => {
  it("parses the seed's flags into typed nested values", () => {
    const values = parseSet([
      'debug.enabled=true',
      'tunnel=disabled',
      'ipv4NativeRoutingCIDR=10.0.0.0/8',
      'operator.replicas=2',
      'a=1,b.c=x',
    ])
    expect(values).toEqual({
      debug: { enabled: true },
      tunnel: 'disabled',
      ipv4NativeRoutingCIDR: '10.0.0.0/8',
      operator: { replicas: 2 },
      a: 1,
      b: { c: 'x' },
    })
    expect(valueAt(values, 'debug.enabled')).toBe(true)
    expect(() => parseSet(['novalue'])).toThrow('failed parsing --set data: key "novalue" has no value')
  })

  it('writes what the agent reads into cilium-config, defaults included', () => {
    const config = (values: Record<string, unknown>) =>
      ciliumObjects('kube-system', '1.13.0-rc5', values).find((o) => o.kind === 'ConfigMap')!.data
    expect(config(parseSet(['bgpControlPlane.enabled=true', 'ipam.mode=kubernetes', 'tunnel=disabled']))).toMatchObject(
      { 'enable-bgp-control-plane': 'true', ipam: 'kubernetes', tunnel: 'disabled' },
    )
    expect(config({})).toMatchObject({
      'enable-bgp-control-plane': 'false',
      ipam: 'cluster-pool',
      tunnel: 'vxlan',
      'cluster-pool-ipv4-cidr': '10.0.0.0/8',
    })
  })
})
