import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKSPACE_SOURCE } from '../../copy-workspace.ts'
import { parseTopology } from './topology.ts'

const SEED = join(WORKSPACE_SOURCE, 'cilium.bgp.clab.yml')

function errorOf(source: string): { code?: string; message: string } {
  try {
    parseTopology(source, SEED, 'cilium.bgp.clab.yml')
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected the topology to be refused')
}

describe('parseTopology', () => {
  it('reads the seed topology: routers with their VyOS configs, bridges, nodes sharing kind nodes, links', () => {
    const topology = parseTopology(readFileSync(SEED, 'utf8'), SEED, 'cilium.bgp.clab.yml')
    expect(topology.name).toBe('bgp')
    const leaf0 = topology.nodes.get('leaf0')!
    expect(leaf0).toMatchObject({ kind: 'linux', image: 'vyos/vyos:1.2.8', container: 'clab-bgp-leaf0' })
    expect(leaf0.vyosConfig).toBe(join(WORKSPACE_SOURCE, 'startup-conf', 'leaf0-boot.cfg'))
    expect(topology.nodes.get('br-leaf0')?.kind).toBe('bridge')
    expect(topology.nodes.get('server1')).toMatchObject({
      sharesWith: 'clab-bgp-control-plane',
      exec: ['ip addr add 10.1.5.10/24 dev net0', 'ip route replace default via 10.1.5.1'],
    })
    expect(topology.links).toHaveLength(10)
    expect(topology.links[4]).toMatchObject({
      a: { node: 'leaf0', iface: 'eth1' },
      b: { node: 'spine0', iface: 'eth1' },
    })
  })

  it('refuses an unknown kind the way containerlab does', () => {
    const error = errorOf('name: t\ntopology:\n  nodes:\n    r1:\n      kind: srl\n')
    expect(error.message).toBe(
      'constructing node "r1": kind "srl" is not supported. Supported kinds are "bridge, linux"',
    )
  })

  it('reports malformed YAML with its line', () => {
    const error = errorOf('name: t\ntopology:\n  nodes:\n    r1:\n      kind: linux\n     image: [oops\n')
    expect(error.code).toBe('TWIN_CLAB_TOPOLOGY')
    expect(error.message).toBe(
      'failed to parse topology file cilium.bgp.clab.yml: yaml: line 6: All mapping items must start at the same column',
    )
  })

  it('refuses a link to a node the topology does not define, with the link line', () => {
    const error = errorOf(
      'name: t\ntopology:\n  nodes:\n    br0:\n      kind: bridge\n  links:\n    - endpoints: ["br0:p1", "ghost:eth1"]\n',
    )
    expect(error.message).toBe(
      'cilium.bgp.clab.yml:7: node "ghost" referenced in link endpoint "ghost:eth1" is not defined in topology.nodes',
    )
  })

  it('refuses a VyOS config bind whose file is missing', () => {
    const error = errorOf(
      'name: t\ntopology:\n  nodes:\n    r1:\n      kind: linux\n      image: vyos/vyos:1.2.8\n      binds:\n' +
        '        - ./startup-conf/nope.cfg:/opt/vyatta/etc/config/config.boot\n',
    )
    expect(error.message).toBe(
      `node "r1": failed to verify bind path: stat ${join(WORKSPACE_SOURCE, 'startup-conf', 'nope.cfg')}: no such file or directory`,
    )
  })

  it('says what the twin cannot stand in for', () => {
    const error = errorOf('name: t\ntopology:\n  nodes:\n    h1:\n      kind: linux\n      image: alpine:3\n')
    expect(error.code).toBe('TWIN_CLAB_UNSUPPORTED')
  })
})
