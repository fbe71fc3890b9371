import { describe, expect, it } from 'vitest'
import { formatInterfaces, INTERFACE_TYPES } from './show-interfaces.ts'

describe('formatInterfaces (VyOS show interfaces)', () => {
  it("prints VyOS's table: one address per row, no link-local, loopback up, other kernel devices left out", () => {
    const table = formatInterfaces([
      {
        ifname: 'lo',
        operstate: 'UNKNOWN',
        addr_info: [
          { local: '127.0.0.1', prefixlen: 8 },
          { local: '::1', prefixlen: 128 },
        ],
      },
      {
        ifname: 'eth2',
        operstate: 'UP',
        addr_info: [
          { local: '10.1.12.1', prefixlen: 24 },
          { local: 'fe80::a8c1:abff:fe69:b528', prefixlen: 64 },
        ],
      },
      { ifname: 'eth1', operstate: 'UP', addr_info: [{ local: '10.1.10.1', prefixlen: 24 }] },
      { ifname: 'eth3', operstate: 'DOWN', addr_info: [] },
      { ifname: 'nexthop0', operstate: 'UP' },
    ])
    expect(table).toBe(
      [
        'Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down',
        'Interface        IP Address                        S/L  Description',
        '---------        ----------                        ---  -----------',
        'eth1             10.1.10.1/24                      u/u  ',
        'eth2             10.1.12.1/24                      u/u  ',
        'eth3             -                                 A/D  ',
        'lo               127.0.0.1/8                       u/u  ',
        '                 ::1/128                                ',
        '',
      ].join('\n'),
    )
  })

  it('shows one type of interface for show interfaces ethernet', () => {
    const table = formatInterfaces(
      [
        { ifname: 'lo', operstate: 'UNKNOWN', addr_info: [{ local: '127.0.0.1', prefixlen: 8 }] },
        { ifname: 'eth1', operstate: 'UP', addr_info: [{ local: '10.1.10.1', prefixlen: 24 }] },
      ],
      INTERFACE_TYPES.ethernet,
    )
    expect(table.split('\n').slice(3)).toEqual(['eth1             10.1.10.1/24                      u/u  ', ''])
  })
})
