import type { ContainerInfo } from '../context.ts'
import { containerId } from '../docker/container-id.ts'

/**
 * The node table containerlab 0.54 prints after deploy and for `inspect`: ASCII borders, headers centred, cells
 * left-aligned, one space of padding, rows sorted by name.
 *
 * IPv4/IPv6 show N/A for every node: the real lab gives routers an address on the docker management network
 * (172.20.20.0/24), which the twin does not have. Printing made-up addresses would invite the learner to ping or ssh
 * to something that does not exist; N/A is what containerlab itself prints for nodes without a management address
 * (the seed's servers sharing a kind node's namespace).
 */
const HEADERS = ['#', 'Name', 'Container ID', 'Image', 'Kind', 'State', 'IPv4 Address', 'IPv6 Address']


function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2)
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left)
}

export function formatNodeTable(containers: ContainerInfo[]): string {
  const rows = [...containers]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((info, index) => [String(index + 1), info.name, containerId(info).slice(0, 12), info.image, 'linux', 'running', 'N/A', 'N/A'])
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)) + 2)
  const border = '+' + widths.map((width) => '-'.repeat(width)).join('+') + '+'
  const line = (cells: string[], align: (text: string, width: number) => string) =>
    '|' + cells.map((cell, column) => align(cell, widths[column])).join('|') + '|'
  const left = (text: string, width: number) => ` ${text}`.padEnd(width)
  return [border, line(HEADERS, center), border, ...rows.map((row) => line(row, left)), border].join('\n') + '\n'
}
