import { isIP, isIPv4 } from 'node:net'
import { NotEmulatedError } from '../daemon/not-emulated.ts'

/**
 * The part of VyOS 1.2's configuration tree that `set` / `delete` can change in the twin: what the lab's boot configs
 * use under `protocols bgp` (neighbors, networks, multipath), which a commit applies to FRR. Node names and kinds
 * follow VyOS 1.2's templates (vyatta-cfg-quagga templates/protocols/bgp/node.tag/...): a tag node takes a value
 * and holds children (`neighbor 10.1.5.10 { }`), a leaf takes one value (`remote-as 65005`), a valueless leaf takes
 * none (`multipath-relax`).
 *
 * `real` lists the other children VyOS has at that level: the twin refuses them as not emulated rather than calling
 * a real path invalid.
 */
export interface NodeDef {
  kind: 'node' | 'tag' | 'leaf' | 'valueless'
  /** For tag and leaf: the reason a value is refused, or undefined when it is valid. */
  check?: (value: string) => string | undefined
  children?: Record<string, NodeDef>
  real?: readonly string[]
}

const ipv4 = (value: string) => (isIPv4(value) ? undefined : `"${value}" is not a valid IPv4 address`)
const asn = (value: string) =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 4294967295
    ? undefined
    : `"${value}" is not a valid AS number (1-4294967295)`
/** templates/protocols/bgp/node.def: a u32 tag whose syntax expression bounds it, with this message. */
const bgpAsn = (value: string) =>
  /^\d+$/.test(value) && (Number(value) < 1 || Number(value) > 4294967294)
    ? 'AS number must be between 1 and 4294967294'
    : asn(value)
/**
 * templates/protocols/bgp/node.tag/neighbor/node.def runs `vyatta-bgp.pl --check-peer-name`: anything that is not an
 * address and has a non-word character is "malformed neighbor address"; a plain word is a peer group's name.
 */
const neighbor = (value: string) => {
  if (isIPv4(value)) return undefined
  if (isIP(value) || !/[\s\W]/.test(value))
    throw new NotEmulatedError(
      'vyos',
      `neighbor ${value}`,
      "The twin's routers peer with IPv4 neighbor addresses only (no IPv6 neighbors, no peer groups).",
    )
  return `malformed neighbor address ${value}`
}
const prefix = (value: string) => {
  const [address, length, extra] = value.split('/')
  return extra === undefined && isIPv4(address) && /^\d+$/.test(length ?? '') && Number(length) <= 32
    ? undefined
    : `"${value}" is not a valid IPv4 prefix`
}
// vyatta-cfg-quagga templates/protocols/bgp/node.tag/address-family/ipv4-unicast/maximum-paths/{ebgp,ibgp}/node.def;
// its scripts/bgp/vyatta-bgp.pl also applies the older `protocols bgp <asn> maximum-paths` with the same children.
const paths = (value: string) =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 255 ? undefined : 'Must be between (1-255)'
const MAXIMUM_PATHS: NodeDef = {
  kind: 'node',
  children: { ebgp: { kind: 'leaf', check: paths }, ibgp: { kind: 'leaf', check: paths } },
}
const remoteAs = (value: string) => (value === 'external' || value === 'internal' ? undefined : asn(value))

const NEIGHBOR: NodeDef = {
  kind: 'tag',
  check: neighbor,
  children: {
    'remote-as': { kind: 'leaf', check: remoteAs },
    description: { kind: 'leaf' },
    // templates/protocols/bgp/node.tag/neighbor/node.tag/shutdown/node.def: `neighbor X shutdown` in FRR.
    shutdown: { kind: 'valueless' },
    'address-family': {
      kind: 'node',
      children: {
        'ipv4-unicast': {
          kind: 'node',
          children: { 'route-reflector-client': { kind: 'valueless' } },
          real: [
            'allowas-in',
            'as-override',
            'attribute-unchanged',
            'capability',
            'default-originate',
            'distribute-list',
            'filter-list',
            'maximum-prefix',
            'nexthop-self',
            'prefix-list',
            'remove-private-as',
            'route-map',
            'route-server-client',
            'soft-reconfiguration',
            'unsuppress-map',
            'weight',
          ],
        },
      },
      real: ['ipv6-unicast'],
    },
  },
  real: [
    'advertisement-interval',
    'bfd',
    'capability',
    'disable-capability-negotiation',
    'disable-connected-check',
    'ebgp-multihop',
    'interface',
    'local-as',
    'override-capability',
    'passive',
    'password',
    'peer-group',
    'port',
    'strict-capability-match',
    'timers',
    'ttl-security',
    'update-source',
  ],
}

const BGP: NodeDef = {
  kind: 'tag',
  check: bgpAsn,
  children: {
    neighbor: NEIGHBOR,
    'maximum-paths': MAXIMUM_PATHS,
    'address-family': {
      kind: 'node',
      children: {
        'ipv4-unicast': {
          kind: 'node',
          children: {
            network: { kind: 'tag', check: prefix },
            'maximum-paths': MAXIMUM_PATHS,
          },
          real: ['aggregate-address', 'redistribute'],
        },
      },
      real: ['ipv6-unicast'],
    },
    parameters: {
      kind: 'node',
      children: {
        'router-id': { kind: 'leaf', check: ipv4 },
        bestpath: {
          kind: 'node',
          children: {
            'as-path': {
              kind: 'node',
              children: { 'multipath-relax': { kind: 'valueless' } },
              real: ['confed', 'ignore'],
            },
          },
          real: ['compare-routerid', 'med'],
        },
      },
      real: [
        'always-compare-med',
        'cluster-id',
        'confederation',
        'dampening',
        'default',
        'deterministic-med',
        'disable-network-import-check',
        'distance',
        'enforce-first-as',
        'graceful-restart',
        'log-neighbor-changes',
        'no-client-to-client-reflection',
        'no-fast-external-failover',
      ],
    },
  },
  real: ['peer-group', 'timers'],
}

export const VYOS_SCHEMA: NodeDef = {
  kind: 'node',
  children: {
    protocols: {
      kind: 'node',
      children: { bgp: BGP },
      real: ['bfd', 'igmp', 'igmp-proxy', 'mpls', 'nhrp', 'ospf', 'ospfv3', 'pim', 'rip', 'ripng', 'static'],
    },
  },
  real: [
    'firewall',
    'high-availability',
    'interfaces',
    'load-balancing',
    'nat',
    'policy',
    'qos',
    'service',
    'system',
    'traffic-policy',
    'vpn',
    'vrf',
    'zone-policy',
  ],
}
