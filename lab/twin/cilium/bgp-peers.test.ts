import { describe, expect, it } from 'vitest'
import { bgpPeersJson, formatBgpPeers, type GobgpPeer, toAgentPeer } from './bgp-peers.ts'

/** `gobgp neighbor 10.1.5.1 -j` of a GoBGP 3.10 speaker with an established iBGP session (trimmed of capabilities). */
const ESTABLISHED: GobgpPeer =
  JSON.parse(`{"apply_policy":{"export_policy":{"direction":2},"import_policy":{"direction":1}},
  "conf":{"local_asn":65005,"neighbor_address":"10.1.5.1","peer_asn":65005},"ebgp_multihop":{},"route_reflector":{},
  "state":{"messages":{"received":{"update":3,"open":1,"keepalive":4,"total":8},"sent":{"update":1,"open":1,"keepalive":4,"total":6}},
  "neighbor_address":"10.1.5.1","peer_asn":65005,"queues":{},"session_state":6,"router_id":"10.1.5.1"},
  "timers":{"config":{"connect_retry":120,"hold_time":90,"keepalive_interval":30,"idle_hold_time_after_reset":30},
  "state":{"keepalive_interval":30,"negotiated_hold_time":90,"uptime":{"seconds":1700000000},"downtime":{"seconds":1699999990}}},
  "transport":{"local_address":"10.1.5.10"},"route_server":{},"graceful_restart":{},
  "afi_safis":[{"mp_graceful_restart":{"config":{},"state":{}},"config":{"family":{"afi":1,"safi":1},"enabled":true},
  "state":{"family":{"afi":1,"safi":1},"enabled":true,"received":4,"accepted":4,"advertised":1}}],"ttl_security":{}}`)

/** The same speaker's view of a peer it has not reached yet (session ACTIVE, no counters, no uptime). */
const ACTIVE: GobgpPeer = {
  conf: { local_asn: 65008, neighbor_address: '10.1.8.1', peer_asn: 65008 },
  state: { session_state: 3 },
  timers: { state: { downtime: { seconds: 1699999990 } } } as GobgpPeer['timers'],
  afi_safis: [{ state: { family: { afi: 1, safi: 1 } } }],
}

const NOW = 1_700_000_000_000 + 323_400 // 5m23.4s after the session came up

describe('cilium bgp peers (v1.13 agent)', () => {
  it('prints the agent table: padded columns, the last one of data rows too (each row ends with a tab), uptime rounded to the second', () => {
    expect(formatBgpPeers([toAgentPeer(ESTABLISHED, NOW)])).toBe(
      'Local AS   Peer AS   Peer Address   Session       Uptime   Family         Received   Advertised\n' +
        '65005      65005     10.1.5.1       established   5m23s    ipv4/unicast   4          1    \n',
    )
  })

  it('shows a session that is not up with 0s and zero counters, sorted by local AS', () => {
    const table = formatBgpPeers([toAgentPeer(ACTIVE, NOW), toAgentPeer(ESTABLISHED, NOW)])
    expect(table.split('\n').slice(1, 3)).toEqual([
      '65005      65005     10.1.5.1       established   5m23s    ipv4/unicast   4          1    ',
      '65008      65008     10.1.8.1       active        0s       ipv4/unicast   0          0    ',
    ])
  })

  it('puts further families of a peer on their own lines under Family', () => {
    const twoFamilies = toAgentPeer(
      { ...ESTABLISHED, afi_safis: [...ESTABLISHED.afi_safis!, { state: { family: { afi: 2, safi: 1 } } }] },
      NOW,
    )
    expect(formatBgpPeers([twoFamilies]).split('\n')[2]).toBe(`${' '.repeat(59)}ipv6/unicast   0          0    `)
  })

  it('prints -o json with the model keys in order and zero counters left out', () => {
    expect(JSON.parse(bgpPeersJson([toAgentPeer(ACTIVE, NOW)]))).toEqual([
      {
        families: [{ afi: 'ipv4', safi: 'unicast' }],
        'local-asn': 65008,
        'peer-address': '10.1.8.1',
        'peer-asn': 65008,
        'session-state': 'active',
      },
    ])
    expect(bgpPeersJson([toAgentPeer(ESTABLISHED, NOW)])).toContain(
      '"families": [\n      {\n        "accepted": 4,\n        "advertised": 1,\n        "afi": "ipv4",',
    )
    expect(bgpPeersJson([toAgentPeer(ESTABLISHED, NOW)])).toContain('"uptime-nanoseconds": 323000000000')
  })
})
