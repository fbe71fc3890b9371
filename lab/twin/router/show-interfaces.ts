import { naturalCompare } from './vyos-tree.ts'

/**
 * VyOS's `show interfaces` table, from `ip -j addr show` of the router's namespace. Format, interface filter and
 * state letters as vyos-1x src/op_mode/show_interfaces.py (`run_show_intf_brief`): `%-16s %-33s %-4s %s` rows, one
 * address per row, link-local IPv6 left out, `-` for no address, `u/u` when the kernel's state is up or unknown
 * (loopback) and `A/D` otherwise.
 */
export interface IpAddrEntry {
  ifname: string
  operstate?: string
  ifalias?: string
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }>
}

/** show_interfaces.py's `interfaces` list: the names VyOS shows (not the kernel's other devices). */
const SHOWN = /^(eno|ens|enp|enx|eth|vmnet|lo|tun|wan|pppoe|pppoa|adsl)/

const row = (name: string, address: string, state: string, description: string) =>
  `${name.padEnd(16)} ${address.padEnd(33)} ${state.padEnd(4)} ${description}`

/** `show interfaces <type>`: the same table for one type (show_interfaces.py `--intf-type`), by its name prefix. */
export const INTERFACE_TYPES: Readonly<Record<string, RegExp>> = { ethernet: /^eth/, loopback: /^lo$/ }

export function formatInterfaces(entries: IpAddrEntry[], type = SHOWN): string {
  const lines = [
    'Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down',
    row('Interface', 'IP Address', 'S/L', 'Description'),
    row('---------', '----------', '---', '-----------'),
  ]
  const shown = entries
    .filter((entry) => SHOWN.test(entry.ifname) && type.test(entry.ifname))
    .sort((a, b) => naturalCompare(a.ifname, b.ifname))
  for (const entry of shown) {
    const up = entry.operstate === 'UP' || entry.operstate === 'UNKNOWN'
    const addresses = (entry.addr_info ?? [])
      .filter((addr) => addr.local && !addr.local.startsWith('fe80::'))
      .map((addr) => `${addr.local}/${addr.prefixlen}`)
    const [first = '-', ...rest] = addresses
    lines.push(row(entry.ifname, first, up ? 'u/u' : 'A/D', entry.ifalias ?? ''))
    for (const address of rest) lines.push(row('', address, '', ''))
  }
  return lines.map((line) => `${line}\n`).join('')
}
