import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKSPACE_SOURCE } from '../../copy-workspace.ts'
import { versionFooter } from './router-files.ts'
import { parseVyosConfig } from './vyos-config.ts'
import { setPath } from './vyos-edit.ts'
import { compareTrees, naturalCompare, printCommands, printConfig, showWithMarkers } from './vyos-tree.ts'

const seed = (router: string) => readFileSync(join(WORKSPACE_SOURCE, 'startup-conf', `${router}-boot.cfg`), 'utf8')
const leaf0 = () => parseVyosConfig(seed('leaf0'), 'leaf0-boot.cfg')

describe('VyOS config tree printing', () => {
  it('prints every seed boot config back to the same bytes (with its version footer)', () => {
    for (const router of ['leaf0', 'leaf1', 'spine0', 'spine1']) {
      const source = seed(router)
      expect(printConfig(parseVyosConfig(source, router)) + versionFooter(source)).toBe(source)
    }
  })

  it('flattens a config into set commands, quoting the last value as VyOS does', () => {
    const commands = printCommands(leaf0())
    expect(commands).toEqual(
      expect.arrayContaining([
        "set interfaces ethernet eth1 address '10.1.10.1/24'",
        "set interfaces loopback 'lo'",
        "set protocols bgp 65005 address-family ipv4-unicast network '10.1.5.0/24'",
        'set protocols bgp 65005 neighbor 10.1.5.10 address-family ipv4-unicast route-reflector-client',
        "set protocols bgp 65005 neighbor 10.1.10.2 remote-as '500'",
        'set protocols bgp 65005 parameters bestpath as-path multipath-relax',
        "set system login user vyos authentication plaintext-password ''",
      ]),
    )
  })

  it('orders tag values numerically, as VyOS lists neighbors', () => {
    expect(['10.1.10.2', '10.1.5.11', '10.1.12.2', '10.1.5.10'].sort(naturalCompare)).toEqual([
      '10.1.5.10',
      '10.1.5.11',
      '10.1.10.2',
      '10.1.12.2',
    ])
  })
})

describe('working config against running config', () => {
  const edited = () => {
    const running = leaf0()
    const working = leaf0()
    expect(setPath(working, ['protocols', 'bgp', '65005', 'neighbor', '10.1.5.12', 'remote-as', '65005']).ok).toBe(true)
    expect(setPath(working, ['protocols', 'bgp', '65005', 'parameters', 'router-id', '10.1.5.99']).ok).toBe(true)
    return { running, working }
  }

  it('shows the working config with + for additions and > for replaced values', () => {
    const { running, working } = edited()
    const bgp = (tree: typeof running) => tree.find((node) => node.words[0] === 'protocols')!.children!
    const lines = showWithMarkers(bgp(running), bgp(working))
    expect(
      lines.slice(lines.indexOf('     neighbor 10.1.5.11 {'), lines.indexOf('     neighbor 10.1.10.2 {') + 1),
    ).toEqual([
      '     neighbor 10.1.5.11 {',
      '         address-family {',
      '             ipv4-unicast {',
      '                 route-reflector-client',
      '             }',
      '         }',
      '         remote-as 65005',
      '     }',
      '+    neighbor 10.1.5.12 {',
      '+        remote-as 65005',
      '+    }',
      '     neighbor 10.1.10.2 {',
    ])
    expect(lines).toContain('>        router-id 10.1.5.99')
  })

  it('compares under [edit ...] headers, one per level that changed', () => {
    const { running, working } = edited()
    expect(compareTrees(running, working)).toEqual([
      '[edit protocols bgp 65005]',
      '+neighbor 10.1.5.12 {',
      '+    remote-as 65005',
      '+}',
      '[edit protocols bgp 65005 parameters]',
      '>router-id 10.1.5.99',
    ])
    expect(compareTrees(running, leaf0())).toEqual([])
  })
})
