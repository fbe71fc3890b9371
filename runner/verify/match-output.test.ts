import { describe, expect, it } from 'vitest'
import { type Matcher, matcherSchema } from '../../protocol/course.ts'
import { matchOutput } from './match-output.ts'

const m = (input: Record<string, unknown>): Matcher => matcherSchema.parse(input)

const nodes = `NAME                 STATUS   ROLES           AGE   VERSION
clab-bgp-cplane-control-plane   Ready    control-plane   5m    v1.23.4
clab-bgp-cplane-worker          NotReady <none>          5m    v1.23.4`

const pools = `NAME        DISABLED   CONFLICTING   IPS AVAILABLE   AGE
blue-pool   false      False         254             10s
red-pool    false      True          0               3s`

const json = JSON.stringify({
  items: [
    { metadata: { name: 'a' }, spec: { podCIDR: '10.98.0.0/24' } },
    { metadata: { name: 'b' }, spec: { podCIDR: '10.98.1.0/24' } },
  ],
})

describe('matchOutput', () => {
  it('contains and regex, with expected vs actual', () => {
    expect(matchOutput('BGP state = Established', m({ contains: 'Established' })).ok).toBe(true)
    const miss = matchOutput('BGP state = Active', m({ contains: 'Established' }))
    expect(miss).toEqual({ ok: false, expected: 'output contains "Established"', actual: 'BGP state = Active' })
    expect(matchOutput('uptime 00:01:02', m({ regex: '\\d+:\\d+:\\d+' })).ok).toBe(true)
    expect(matchOutput('ESTABLISHED', m({ regex: 'established', flags: 'i' })).ok).toBe(true)
  })

  it('jsonPath equals, exists and matches, with filters', () => {
    expect(matchOutput(json, m({ jsonPath: '$.items[1].spec.podCIDR', equals: '10.98.1.0/24' })).ok).toBe(true)
    expect(
      matchOutput(json, m({ jsonPath: "$.items[?(@.metadata.name == 'a')].spec.podCIDR", equals: '10.98.0.0/24' })).ok,
    ).toBe(true)
    const wrong = matchOutput(json, m({ jsonPath: '$.items[0].spec.podCIDR', equals: '10.0.0.0/8' }))
    expect(wrong.ok).toBe(false)
    expect(wrong.actual).toBe('$.items[0].spec.podCIDR = "10.98.0.0/24"')
    expect(matchOutput(json, m({ jsonPath: '$.items[5]', exists: false })).ok).toBe(true)
    expect(matchOutput(json, m({ jsonPath: '$.items[*].spec.podCIDR', matches: '^10\\.98\\.1\\.' })).ok).toBe(true)
    expect(
      matchOutput(
        'kind: Node\nspec:\n  podCIDR: 10.98.3.0/24\n',
        m({ jsonPath: '$.spec.podCIDR', equals: '10.98.3.0/24' }),
      ).ok,
    ).toBe(true)
  })

  it('table rows by column, with multi-word headers and /regex/ cells', () => {
    expect(
      matchOutput(nodes, m({ table: { columns: { NAME: 'clab-bgp-cplane-control-plane', STATUS: 'Ready' } } })).ok,
    ).toBe(true)
    expect(matchOutput(nodes, m({ table: { columns: { NAME: 'clab-bgp-cplane-worker', STATUS: 'Ready' } } })).ok).toBe(
      false,
    )
    expect(
      matchOutput(
        pools,
        m({ table: { columns: { NAME: 'blue-pool', 'IPS AVAILABLE': '/^\\d+$/', CONFLICTING: 'False' } } }),
      ).ok,
    ).toBe(true)
    const missing = matchOutput(pools, m({ table: { columns: { POOL: 'x' } } }))
    expect(missing.actual).toContain('no column "POOL"')
  })

  it('count with bounds, and not', () => {
    expect(matchOutput(nodes, m({ count: { contains: 'v1.23.4', equals: 2 } })).ok).toBe(true)
    const few = matchOutput(nodes, m({ count: { regex: '\\bReady\\b', min: 2 } }))
    expect(few).toMatchObject({ ok: false, expected: 'at least 2 lines matching /\\bReady\\b/' })
    expect(few.actual).toMatch(/^1 matching line/)
    expect(matchOutput(nodes, m({ contains: 'NotReady', not: true })).ok).toBe(false)
    expect(matchOutput(nodes, m({ contains: 'Pending', not: true }))).toMatchObject({
      ok: true,
      expected: 'not output contains "Pending"',
    })
  })

  it('fills {{templates}} from captures', () => {
    expect(matchOutput('10.98.1.0/24 via 10.1.5.1', m({ contains: '{{cidr}}' }), { cidr: '10.98.1.0/24' }).ok).toBe(
      true,
    )
  })
})
