import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKSPACE_SOURCE } from '../../copy-workspace.ts'
import { bgpCommands } from './frr-commit.ts'
import { translateVyosConfig } from './frr-config.ts'
import { parseVyosConfig } from './vyos-config.ts'
import { deletePath, setPath } from './vyos-edit.ts'
import { printConfig } from './vyos-tree.ts'

const source = readFileSync(join(WORKSPACE_SOURCE, 'startup-conf', 'leaf0-boot.cfg'), 'utf8')

/** The vtysh commands a commit runs after these set/delete commands on leaf0's boot config. */
function commit(...edits: string[]): string[] {
  const tree = parseVyosConfig(source, 'leaf0')
  for (const edit of edits) {
    const [verb, ...words] = edit.split(' ')
    expect((verb === 'set' ? setPath : deletePath)(tree, words).ok).toBe(true)
  }
  return bgpCommands(translateVyosConfig(source, 'leaf0').bgp, translateVyosConfig(printConfig(tree), 'working').bgp)
}

describe('bgpCommands (a commit applied to FRR)', () => {
  it("adds a neighbor with the lab's connect timer, and a network in the address family", () => {
    expect(
      commit(
        'set protocols bgp 65005 neighbor 10.1.5.12 remote-as 65005',
        'set protocols bgp 65005 address-family ipv4-unicast network 10.1.6.0/24',
      ),
    ).toEqual([
      'configure terminal',
      'router bgp 65005',
      'neighbor 10.1.5.12 remote-as 65005',
      'neighbor 10.1.5.12 timers connect 1',
      'address-family ipv4 unicast',
      'network 10.1.6.0/24',
      'exit-address-family',
      'exit',
      'end',
    ])
  })

  it('removes a deleted neighbor once, with everything it had', () => {
    expect(commit('delete protocols bgp 65005 neighbor 10.1.5.11')).toEqual([
      'configure terminal',
      'router bgp 65005',
      'no neighbor 10.1.5.11',
      'exit',
      'end',
    ])
  })

  it('changes a remote-as in place and turns multipath off', () => {
    expect(
      commit(
        'set protocols bgp 65005 neighbor 10.1.10.2 remote-as 501',
        'delete protocols bgp 65005 parameters bestpath',
      ),
    ).toEqual([
      'configure terminal',
      'router bgp 65005',
      'no bgp bestpath as-path multipath-relax',
      'neighbor 10.1.10.2 remote-as 501',
      'exit',
      'end',
    ])
  })

  it('shuts a neighbor down and brings it back, and limits eBGP multipath', () => {
    expect(
      commit(
        'set protocols bgp 65005 neighbor 10.1.10.2 shutdown',
        'set protocols bgp 65005 address-family ipv4-unicast maximum-paths ebgp 1',
      ),
    ).toEqual([
      'configure terminal',
      'router bgp 65005',
      'neighbor 10.1.10.2 shutdown',
      'address-family ipv4 unicast',
      'maximum-paths 1',
      'exit-address-family',
      'exit',
      'end',
    ])
    const shut = parseVyosConfig(source, 'leaf0')
    setPath(shut, 'protocols bgp 65005 neighbor 10.1.10.2 shutdown'.split(' '))
    setPath(shut, 'protocols bgp 65005 address-family ipv4-unicast maximum-paths ibgp 4'.split(' '))
    const before = translateVyosConfig(printConfig(shut), 'running').bgp
    deletePath(shut, 'protocols bgp 65005 neighbor 10.1.10.2 shutdown'.split(' '))
    expect(before).toContain('  maximum-paths ibgp 4')
    expect(bgpCommands(before, translateVyosConfig(printConfig(shut), 'working').bgp)).toEqual([
      'configure terminal',
      'router bgp 65005',
      'no neighbor 10.1.10.2 shutdown',
      'exit',
      'end',
    ])
  })

  it('removes the whole instance when protocols bgp goes, and does nothing when nothing changed', () => {
    expect(commit('delete protocols bgp 65005')).toEqual(['configure terminal', 'no router bgp 65005', 'end'])
    expect(commit()).toEqual([])
  })
})
