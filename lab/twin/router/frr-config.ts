import { isIPv4 } from 'node:net'
import { childrenAt, parseVyosConfig, type VyosNode, vyosError } from './vyos-config.ts'

/**
 * Translates a VyOS 1.2 boot config into FRR 8.4 configs. VyOS 1.2 runs FRR 7.3 underneath, so the translation is
 * literal except for three things that change no routing decision:
 *  - FRR 8.4 turns `bgp ebgp-requires-policy` on by default, which would hold every eBGP session in `(Policy)`;
 *    VyOS 1.2 never had it, so `no bgp ebgp-requires-policy` keeps the old behaviour.
 *  - `timers connect 1` per neighbor: the twin's node speakers (GoBGP 3) wait 5-10 s before their first dial-out,
 *    so the leaf connecting to them is what brings sessions up within a second of a policy; with FRR's default
 *    retry of 120 s a leaf that tried before the node speaker existed would wait for the node instead.
 *  - `coalesce-time 0`: FRR holds a new session's first update for its update group's coalesce time (1 s by
 *    default, so that peers coming up together share one update group's work); with it every session came up and
 *    then sat a second before sending its table, once per hop of the fabric. It changes when the first update
 *    leaves, never which paths are sent or chosen (best path, ECMP, reflection and AS paths are the same).
 *
 * Statements that change routing and are not translated are errors (file and line), never silently dropped;
 * statements about the box itself (system, console, ntp, login, duplex/speed) do not matter to the twin.
 */
export interface RouterConfig {
  hostname?: string
  /** Interface name -> CIDR addresses. */
  interfaces: Map<string, string[]>
  zebraConf: string
  bgpdConf: string
  /** The VyOS config it came from (none for hand-written FRR configs): the running config until a commit changes it. */
  source?: string
}

/** A translation's result, with what a VyOS commit compares. */
export interface TranslatedConfig extends RouterConfig {
  /** The `router bgp` block of bgpdConf (empty without BGP). */
  bgp: string[]
  source: string
}

/** Top-level sections with no effect on routing inside the twin (no eth0 management port, no NAT to the outside). */
const IGNORED_TOP = new Set(['system', 'nat', 'service', 'firewall'])
const IGNORED_ETHERNET = new Set(['duplex', 'smp-affinity', 'speed', 'description', 'hw-id', 'mtu'])

function cidr(file: string, node: VyosNode, value: string | undefined): string {
  const [address, length, extra] = (value ?? '').split('/')
  if (extra !== undefined || !isIPv4(address) || !/^\d+$/.test(length ?? '') || Number(length) > 32) {
    throw vyosError(
      file,
      node.line,
      `"${node.words.join(' ')}": expected an IPv4 address with prefix length, like 10.1.5.1/24`,
    )
  }
  return value!
}

function ipv4(file: string, node: VyosNode, value: string | undefined): string {
  if (!value || !isIPv4(value)) throw vyosError(file, node.line, `"${node.words.join(' ')}": expected an IPv4 address`)
  return value
}

function asn(file: string, node: VyosNode, value: string | undefined): string {
  if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 4294967295) {
    throw vyosError(file, node.line, `"${node.words.join(' ')}": expected an AS number (1-4294967295)`)
  }
  return value
}

function unsupported(file: string, node: VyosNode, where: string): never {
  throw vyosError(file, node.line, `${where} "${node.words.join(' ')}" is not supported by the lab's VyOS translation`)
}

/** VyOS's `maximum-paths ebgp N` is FRR's `maximum-paths N` (IPv4 unicast); `ibgp N` keeps its keyword. */
function maximumPaths(file: string, node: VyosNode): string[] {
  return (node.children ?? []).map((kind) => {
    if (kind.words[0] !== 'ebgp' && kind.words[0] !== 'ibgp') unsupported(file, kind, 'maximum-paths statement')
    return `  maximum-paths ${kind.words[0] === 'ibgp' ? 'ibgp ' : ''}${kind.words[1]}`
  })
}

function readInterfaces(file: string, nodes: VyosNode[], interfaces: Map<string, string[]>): void {
  for (const node of childrenAt(nodes, 'interfaces')) {
    const [type, name] = node.words
    if (type !== 'ethernet' && type !== 'loopback') unsupported(file, node, 'interface type')
    if (!name) throw vyosError(file, node.line, `"${type}" needs an interface name`)
    const addresses: string[] = []
    for (const child of node.children ?? []) {
      if (child.words[0] === 'address') addresses.push(cidr(file, child, child.words[1]))
      else if (!IGNORED_ETHERNET.has(child.words[0])) unsupported(file, child, `interface ${name} statement`)
    }
    interfaces.set(name, addresses)
  }
}

function translateBgp(file: string, bgp: VyosNode): string[] {
  const localAs = asn(file, bgp, bgp.words[1])
  const head = [`router bgp ${localAs}`, ' no bgp ebgp-requires-policy', ' coalesce-time 0']
  const neighbors: string[] = []
  const family: string[] = []
  for (const node of bgp.children ?? []) {
    const [key, value] = node.words
    if (key === 'parameters') {
      for (const param of node.children ?? []) {
        if (param.words[0] === 'router-id') head.push(` bgp router-id ${ipv4(file, param, param.words[1])}`)
        else if (
          param.words[0] === 'bestpath' &&
          childrenAt(param.children ?? [], 'as-path').some((n) => n.words[0] === 'multipath-relax')
        ) {
          head.push(' bgp bestpath as-path multipath-relax')
        } else unsupported(file, param, 'bgp parameter')
      }
    } else if (key === 'address-family') {
      for (const afi of node.children ?? []) {
        if (afi.words[0] !== 'ipv4-unicast') unsupported(file, afi, 'address family')
        for (const statement of afi.children ?? []) {
          if (statement.words[0] === 'network') family.push(`  network ${cidr(file, statement, statement.words[1])}`)
          else if (statement.words[0] === 'maximum-paths') family.push(...maximumPaths(file, statement))
          else unsupported(file, statement, 'ipv4-unicast statement')
        }
      }
    } else if (key === 'maximum-paths') family.push(...maximumPaths(file, node))
    else if (key === 'neighbor') {
      const peer = ipv4(file, node, value)
      const remoteAs = node.children?.find((child) => child.words[0] === 'remote-as')
      if (!remoteAs) throw vyosError(file, node.line, `neighbor ${peer} has no remote-as`)
      neighbors.push(
        ` neighbor ${peer} remote-as ${remoteAs.words[1] === 'external' || remoteAs.words[1] === 'internal' ? remoteAs.words[1] : asn(file, remoteAs, remoteAs.words[1])}`,
      )
      neighbors.push(` neighbor ${peer} timers connect 1`)
      for (const child of node.children ?? []) {
        if (child.words[0] === 'remote-as') continue
        if (child.words[0] === 'description')
          neighbors.push(` neighbor ${peer} description ${child.words.slice(1).join(' ')}`)
        else if (child.words[0] === 'shutdown') neighbors.push(` neighbor ${peer} shutdown`)
        else if (child.words[0] === 'address-family') {
          for (const afi of child.children ?? []) {
            if (afi.words[0] !== 'ipv4-unicast') unsupported(file, afi, 'neighbor address family')
            for (const statement of afi.children ?? []) {
              if (statement.words[0] === 'route-reflector-client')
                family.push(`  neighbor ${peer} route-reflector-client`)
              else unsupported(file, statement, `neighbor ${peer} statement`)
            }
          }
        } else unsupported(file, child, `neighbor ${peer} statement`)
      }
    } else unsupported(file, node, 'bgp statement')
  }
  return [...head, ...neighbors, ' address-family ipv4 unicast', ...family, ' exit-address-family']
}

export function translateVyosConfig(source: string, file: string): TranslatedConfig {
  const nodes = parseVyosConfig(source, file)
  const interfaces = new Map<string, string[]>()
  let hostname: string | undefined
  const bgp: string[] = []
  const staticRoutes: string[] = []
  for (const node of nodes) {
    const [section] = node.words
    if (section === 'interfaces') readInterfaces(file, nodes, interfaces)
    else if (section === 'system')
      hostname = childrenAt([node], 'system').find((n) => n.words[0] === 'host-name')?.words[1]
    else if (section === 'protocols') {
      for (const protocol of node.children ?? []) {
        if (protocol.words[0] === 'bgp') bgp.push(...translateBgp(file, protocol))
        else if (protocol.words[0] === 'static') {
          for (const route of protocol.children ?? []) {
            const prefix = cidr(file, route, route.words[1])
            for (const hop of route.children ?? [])
              staticRoutes.push(`ip route ${prefix} ${ipv4(file, hop, hop.words[1])}`)
          }
        } else unsupported(file, protocol, 'protocol')
      }
    } else if (!IGNORED_TOP.has(section)) unsupported(file, node, 'section')
  }
  const name = hostname ? [`hostname ${hostname}`] : []
  const zebra = [...name, 'ip forwarding', ...staticRoutes]
  for (const [iface, addresses] of interfaces) {
    zebra.push(`interface ${iface}`, ...addresses.map((address) => ` ip address ${address}`))
  }
  return {
    hostname,
    interfaces,
    zebraConf: `${zebra.join('\n')}\n`,
    bgpdConf: `${[...name, ...bgp].join('\n')}\n`,
    bgp,
    source,
  }
}
