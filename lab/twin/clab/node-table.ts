import type { ContainerInfo } from '../context.ts'
import { containerId } from '../docker/container-id.ts'
import { isRunning, stateWord } from '../docker/container-state.ts'
import { ipv6Of } from '../net/docker-network.ts'
import { CLAB_NETWORK } from './mgmt-network.ts'

/**
 * The node table containerlab 0.54 prints after deploy and for `inspect`: ASCII borders, headers centred, cells
 * left-aligned, one space of padding, rows sorted by name.
 *
 * IPv4/IPv6 are a node's addresses on the management network; N/A for a node without one (the seed's servers sharing
 * a kind node's namespace) and for a stopped one (docker reports no address for it). State is docker's: `exited`
 * after docker stop.
 */
const HEADERS = ['#', 'Name', 'Container ID', 'Image', 'Kind', 'State', 'IPv4 Address', 'IPv6 Address']

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2)
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left)
}

/** `mgmt`: container name -> IPv4 address on the management network. */
export function formatNodeTable(containers: ContainerInfo[], mgmt: Map<string, string>): string {
  const addresses = (info: ContainerInfo) => {
    const ip = isRunning(info) ? mgmt.get(info.name) : undefined
    return ip
      ? [`${ip}/${CLAB_NETWORK.prefix}`, `${ipv6Of(CLAB_NETWORK, ip)}/${CLAB_NETWORK.ipv6.bits}`]
      : ['N/A', 'N/A']
  }
  const rows = [...containers]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((info, index) => [
      String(index + 1),
      info.name,
      containerId(info).slice(0, 12),
      info.image,
      'linux',
      stateWord(info),
      ...addresses(info),
    ])
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)) + 2)
  const border = `+${widths.map((width) => '-'.repeat(width)).join('+')}+`
  const line = (cells: string[], align: (text: string, width: number) => string) =>
    `|${cells.map((cell, column) => align(cell, widths[column])).join('|')}|`
  const left = (text: string, width: number) => ` ${text}`.padEnd(width)
  return `${[border, line(HEADERS, center), border, ...rows.map((row) => line(row, left)), border].join('\n')}\n`
}
