import { describe, expect, it } from 'vitest'
import { formatNodeTable } from './node-table.ts'

describe('formatNodeTable', () => {
  it('draws the containerlab 0.54 table: centred headers, left-aligned cells, rows sorted by name', () => {
    const base = { kind: 'router' as const, ns: 'x', createdAt: 0, labels: {} }
    const table = formatNodeTable(
      [
        { ...base, name: 'clab-bgp-spine0', image: 'vyos/vyos:1.2.8' },
        { ...base, name: 'clab-bgp-leaf0', image: 'vyos/vyos:1.2.8' },
      ],
      new Map(),
    ).split('\n')
    expect(table[0]).toBe(
      '+---+-----------------+--------------+-----------------+-------+---------+--------------+--------------+',
    )
    expect(table[1]).toBe(
      '| # |      Name       | Container ID |      Image      | Kind  |  State  | IPv4 Address | IPv6 Address |',
    )
    expect(table[3]).toMatch(
      /^\| 1 \| clab-bgp-leaf0 {2}\| [0-9a-f]{12} \| vyos\/vyos:1\.2\.8 \| linux \| running \| N\/A {10}\| N\/A {10}\|$/,
    )
    expect(table[4]).toContain('| 2 | clab-bgp-spine0 |')
  })

  it("prints a router's management addresses as the seed does, N/A for a node sharing a kind node", () => {
    const base = { kind: 'router' as const, ns: 'x', createdAt: 0, labels: {} }
    const table = formatNodeTable(
      [
        { ...base, name: 'clab-bgp-leaf0', image: 'vyos/vyos:1.2.8' },
        { ...base, name: 'clab-bgp-server1', image: 'nicolaka/netshoot:v0.13', kind: 'host-sharing' },
      ],
      new Map([['clab-bgp-leaf0', '172.20.20.5']]),
    ).split('\n')
    expect(table[1]).toBe(
      '| # |       Name       | Container ID |          Image          | Kind  |  State  |  IPv4 Address  |     IPv6 Address     |',
    )
    expect(table[3]).toMatch(
      /^\| 1 \| clab-bgp-leaf0 {3}\| [0-9a-f]{12} \| vyos\/vyos:1\.2\.8 {9}\| linux \| running \| 172\.20\.20\.5\/24 \| 2001:172:20:20::5\/64 \|$/,
    )
    // The seed's own row for server1, but for the id and image.
    expect(table[4].endsWith(' | linux | running | N/A            | N/A                  |')).toBe(true)
  })
})
