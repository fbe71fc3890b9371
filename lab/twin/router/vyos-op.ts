import { join } from 'node:path'
import { CONTAINER_BIN } from '../container/container-root.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolIO, ToolResult } from '../daemon/tool.ts'
import { type RouterFiles, readTree } from './router-files.ts'
import { formatInterfaces, INTERFACE_TYPES, type IpAddrEntry } from './show-interfaces.ts'
import type { VyosNode } from './vyos-config.ts'
import { printCommands, printConfig } from './vyos-tree.ts'

/**
 * VyOS 1.2 operational-mode `show` in a router's shell. Routing tables and BGP state are FRR's own vtysh output in
 * VyOS 1.2 (its op-mode templates run vtysh), so `show ip ...` and `show bgp ...` pass through to the router's vtysh;
 * `show interfaces` and `show configuration` are VyOS's own.
 */

/** Other `show` subcommands of VyOS 1.2 (its op-mode `show` completions): real, not emulated. */
const REAL_SHOW = [
  'arp',
  'bridge',
  'conntrack',
  'date',
  'dhcp',
  'disk',
  'dns',
  'firewall',
  'hardware',
  'history',
  'host',
  'ipv6',
  'log',
  'nat',
  'ntp',
  'reboot',
  'route-map',
  'system',
  'tech-support',
  'users',
  'version',
  'vpn',
  'vrrp',
]

const SHOW_HINT =
  "The twin's routers answer show ip ..., show bgp ..., show interfaces [ethernet|loopback] and show configuration [commands]; " +
  "vtysh -c 'show ...' reaches the rest of FRR, and the Linux tools (ip, ss, tcpdump) work as on the lab host."

/** Secrets VyOS masks in `show configuration` (as its documentation's example output shows). */
const MASKED = new Set(['encrypted-password', 'plaintext-password'])

function masked(nodes: VyosNode[]): VyosNode[] {
  return nodes.map((node) => ({
    ...node,
    words: MASKED.has(node.words[0]) && !node.children ? [node.words[0], '****************'] : node.words,
    ...(node.children ? { children: masked(node.children) } : {}),
  }))
}

export async function opShow(
  io: ToolIO,
  lab: TwinContext,
  info: ContainerInfo,
  files: RouterFiles,
  args: string[],
): Promise<ToolResult> {
  const [what, ...rest] = args
  // Run where `show` was typed, in the router's container: its own vtysh.
  if (what === 'ip' || what === 'bgp')
    return { execLocal: [join(CONTAINER_BIN, 'vtysh'), '-c', ['show', ...args].join(' ')] }
  if (what === 'configuration' && rest.length === 0) {
    io.stdout(printConfig(masked(readTree(files.running))))
    return { exitCode: 0 }
  }
  if (what === 'configuration' && rest.join(' ') === 'commands') {
    io.stdout(
      printCommands(readTree(files.running))
        .map((line) => `${line}\n`)
        .join(''),
    )
    return { exitCode: 0 }
  }
  const type = rest.length === 1 && Object.hasOwn(INTERFACE_TYPES, rest[0]) ? INTERFACE_TYPES[rest[0]] : undefined
  if (what === 'interfaces' && (rest.length === 0 || type)) {
    const result = await lab.run(['ip', '-j', 'addr', 'show'], { ns: info.ns })
    if (result.exitCode !== 0) {
      io.stderr(result.stderr)
      return { exitCode: 1 }
    }
    io.stdout(formatInterfaces(JSON.parse(result.stdout) as IpAddrEntry[], type))
    return { exitCode: 0 }
  }
  if (what === 'configuration' || what === 'interfaces' || (what && REAL_SHOW.includes(what)))
    throw new NotEmulatedError('vyos', ['show', ...args].join(' '), SHOW_HINT)
  // vyatta-op's answer to a word it has no template for.
  io.stdout(what ? `\n  Invalid command: show [${what}]\n\n` : `\n  Incomplete command: show\n\n`)
  return { exitCode: 1 }
}
