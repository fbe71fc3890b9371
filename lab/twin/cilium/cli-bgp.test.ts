import { describe, expect, it } from 'vitest'
import { type GobgpPeer, toAgentPeer } from './bgp-peers.ts'
import { formatCliPeers, formatCliRoutes, type GobgpPath, nodeRoutes } from './cli-bgp.ts'

/** `gobgp neighbor 10.1.5.1 -j` of an established iBGP session (trimmed to what is read). */
const PEER: GobgpPeer = JSON.parse(`{"conf":{"local_asn":65005,"neighbor_address":"10.1.5.1","peer_asn":65005},
  "state":{"session_state":6},"timers":{"state":{"uptime":{"seconds":1700000000}}},
  "afi_safis":[{"state":{"family":{"afi":1,"safi":1},"enabled":true,"received":4,"accepted":4,"advertised":1}}]}`)
const NOW = 1_700_000_000_000 + 65_000

/** `gobgp global rib -a ipv4 -j` of a node speaker (GoBGP 3.10). */
const RIB: Record<string, GobgpPath[]> = JSON.parse(
  '{"10.98.0.0/24":[{"nlri":{"prefix":"10.98.0.0/24"},"age":1700000000,"best":true,"attrs":[{"type":1,"value":0},{"type":3,"nexthop":"0.0.0.0"}],"stale":false}]}',
)
/** `gobgp neighbor 10.1.5.1 adj-out -a ipv4 -j` of the same speaker to its iBGP leaf. */
const ADJ_OUT: Record<string, GobgpPath[]> = JSON.parse(
  '{"10.98.0.0/24":[{"nlri":{"prefix":"10.98.0.0/24"},"age":1700000000,"attrs":[{"type":1,"value":0},{"type":2,"as_paths":[]},{"type":3,"nexthop":"10.1.5.10"},{"type":5,"value":100}]}]}',
)

describe('cilium-cli bgp tables', () => {
  it("prints cilium bgp peers with the Node column, the name on a node's first peer only, data rows padded", () => {
    const second = toAgentPeer({ ...PEER, conf: { ...PEER.conf, neighbor_address: '10.1.5.2' } }, NOW)
    const table = formatCliPeers(
      new Map([
        ['clab-bgp-worker', [toAgentPeer(PEER, NOW)]],
        ['clab-bgp-control-plane', [second, toAgentPeer(PEER, NOW)]],
        ['clab-bgp-worker3', []],
      ]),
    )
    expect(table).toBe(
      'Node                     Local AS   Peer AS   Peer Address   Session State   Uptime   Family         Received   Advertised\n' +
        'clab-bgp-control-plane   65005      65005     10.1.5.1       established     1m5s     ipv4/unicast   4          1    \n' +
        '                         65005      65005     10.1.5.2       established     1m5s     ipv4/unicast   4          1    \n' +
        'clab-bgp-worker          65005      65005     10.1.5.1       established     1m5s     ipv4/unicast   4          1    \n',
    )
  })

  it('prints routes available without and routes advertised with the Peer column, attributes as GoBGP strings', async () => {
    const speaker = async (args: string[]) => {
      if (args[0] === 'global' && args.length === 1) return { asn: 65005, router_id: '10.1.5.10' }
      if (args[0] === 'global') return RIB
      if (args.length === 1) return [PEER, { conf: { neighbor_address: '10.1.5.9' }, state: { session_state: 3 } }]
      return ADJ_OUT
    }
    const available = formatCliRoutes(
      new Map([['clab-bgp-control-plane', await nodeRoutes([speaker], 'available')]]),
      false,
      NOW,
    )
    expect(available).toBe(
      'Node                     VRouter   Prefix         NextHop   Age    Attrs\n' +
        'clab-bgp-control-plane   65005     10.98.0.0/24   0.0.0.0   1m5s   [{Origin: i} {Nexthop: 0.0.0.0}]   \n',
    )
    const advertised = formatCliRoutes(
      new Map([['clab-bgp-control-plane', await nodeRoutes([speaker], 'advertised')]]),
      true,
      NOW,
    )
    expect(advertised.split('\n')[0]).toBe(
      'Node                     VRouter   Peer       Prefix         NextHop     Age    Attrs',
    )
    expect(advertised.split('\n')[1]).toBe(
      'clab-bgp-control-plane   65005     10.1.5.1   10.98.0.0/24   10.1.5.10   1m5s   [{Origin: i} {AsPath: } {Nexthop: 10.1.5.10} {LocalPref: 100}]   ',
    )
    expect(advertised.split('\n')).toHaveLength(3)
  })
})
