import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKSPACE_SOURCE } from '../../copy-workspace.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { childrenAt, parseVyosConfig } from './vyos-config.ts'
import { deletePath, editPath, levelUp, setPath } from './vyos-edit.ts'
import { printCommands } from './vyos-tree.ts'

const leaf0 = () =>
  parseVyosConfig(readFileSync(join(WORKSPACE_SOURCE, 'startup-conf', 'leaf0-boot.cfg'), 'utf8'), 'leaf0-boot.cfg')
const words = (command: string) => command.split(' ')
const bgpCommands = (tree: ReturnType<typeof leaf0>) =>
  printCommands(tree).filter((line) => line.startsWith('set protocols bgp'))

describe('set', () => {
  it('adds a neighbor in VyOS order and a network under the address family', () => {
    const tree = leaf0()
    expect(setPath(tree, words('protocols bgp 65005 neighbor 10.1.5.12 remote-as 65005'))).toEqual({
      ok: true,
      output: '',
    })
    expect(setPath(tree, words('protocols bgp 65005 address-family ipv4-unicast network 10.1.6.0/24')).ok).toBe(true)
    const neighbors = childrenAt(tree, 'protocols')
      .find((n) => n.words[0] === 'bgp')!
      .children!.filter((n) => n.words[0] === 'neighbor')
    expect(neighbors.map((n) => n.words[1])).toEqual(['10.1.5.10', '10.1.5.11', '10.1.5.12', '10.1.10.2', '10.1.12.2'])
    expect(bgpCommands(tree)).toEqual(
      expect.arrayContaining([
        "set protocols bgp 65005 neighbor 10.1.5.12 remote-as '65005'",
        "set protocols bgp 65005 address-family ipv4-unicast network '10.1.6.0/24'",
      ]),
    )
  })

  it('replaces a leaf value and refuses to set what already exists', () => {
    const tree = leaf0()
    expect(setPath(tree, words('protocols bgp 65005 neighbor 10.1.10.2 remote-as 501')).ok).toBe(true)
    expect(bgpCommands(tree)).toContain("set protocols bgp 65005 neighbor 10.1.10.2 remote-as '501'")
    expect(setPath(tree, words('protocols bgp 65005 parameters bestpath as-path multipath-relax'))).toEqual({
      ok: false,
      output:
        '\n  Configuration path: [protocols bgp 65005 parameters bestpath as-path multipath-relax] already exists\n\n',
    })
  })

  it("answers an invalid path, a missing value and a bad value with VyOS's words", () => {
    // The interpreter names the first word the templates lack, after what was typed before it, on stderr.
    expect(setPath(leaf0(), words('protocols bgp 65005 neighbour 10.1.5.12 remote-as 65005'))).toEqual({
      ok: false,
      output: '',
      error: '\n  Configuration path: protocols bgp 65005 [neighbour] is not valid\n  Set failed\n\n',
    })
    expect(setPath(leaf0(), words('protocols bgp 65005 neighbor 10.1.5.12 remote-as 65005 extra')).error).toBe(
      '\n  Configuration path: protocols bgp 65005 neighbor 10.1.5.12 remote-as 65005 [extra] is not valid\n  Set failed\n\n',
    )
    expect(deletePath(leaf0(), words('protocol bgp')).error).toBe(
      '\n  Configuration path: [protocol] is not valid\n  Delete failed\n\n',
    )
    expect(setPath(leaf0(), words('protocols bgp 65005 neighbor 10.1.5.12 remote-as')).output).toBe(
      '\n  Configuration path: [protocols bgp 65005 neighbor 10.1.5.12 remote-as] requires a value\n  Set failed\n\n',
    )
    // vyatta-bgp.pl --check-peer-name and the bgp template's own bound.
    expect(setPath(leaf0(), words('protocols bgp 65005 neighbor 10.1.5.300 remote-as 1')).output).toBe(
      '\n  malformed neighbor address 10.1.5.300\n  Value validation failed\n  Set failed\n\n',
    )
    expect(setPath(leaf0(), words('protocols bgp 4294967295 parameters router-id 10.1.5.1')).output).toBe(
      '\n  AS number must be between 1 and 4294967294\n  Value validation failed\n  Set failed\n\n',
    )
    expect(setPath(leaf0(), words('protocols bgp 65005 parameters router-id 10.1.5')).output).toBe(
      '\n  "10.1.5" is not a valid IPv4 address\n  Value validation failed\n  Set failed\n\n',
    )
  })

  it('shuts a neighbor down and sets maximum-paths within VyOS 1.2 bounds', () => {
    const tree = leaf0()
    expect(setPath(tree, words('protocols bgp 65005 neighbor 10.1.10.2 shutdown')).ok).toBe(true)
    expect(setPath(tree, words('protocols bgp 65005 address-family ipv4-unicast maximum-paths ebgp 1')).ok).toBe(true)
    expect(bgpCommands(tree)).toEqual(
      expect.arrayContaining([
        'set protocols bgp 65005 neighbor 10.1.10.2 shutdown',
        "set protocols bgp 65005 address-family ipv4-unicast maximum-paths ebgp '1'",
      ]),
    )
    expect(setPath(tree, words('protocols bgp 65005 address-family ipv4-unicast maximum-paths ibgp 0')).output).toBe(
      '\n  Must be between (1-255)\n  Value validation failed\n  Set failed\n\n',
    )
  })

  it('sets relative to the edit level', () => {
    const tree = leaf0()
    expect(setPath(tree, words('neighbor 10.1.5.12 remote-as 65005'), words('protocols bgp 65005')).ok).toBe(true)
    expect(bgpCommands(tree)).toContain("set protocols bgp 65005 neighbor 10.1.5.12 remote-as '65005'")
    expect(setPath(tree, words('neighbour 10.1.5.12'), words('protocols bgp 65005')).error).toBe(
      '\n  Configuration path: [neighbour] is not valid\n  Set failed\n\n',
    )
  })

  it('refuses real VyOS paths the twin does not apply, with what to do instead', () => {
    expect(() => setPath(leaf0(), words('protocols ospf area 0'))).toThrow(NotEmulatedError)
    expect(() => setPath(leaf0(), words('interfaces ethernet eth1 address 10.1.11.1/24'))).toThrow(
      "vyos: 'set interfaces' is not available in the twin lab\nThe twin's routers apply changes under protocols bgp",
    )
    expect(() => setPath(leaf0(), words('protocols bgp 65005 neighbor 10.1.5.12 ebgp-multihop 2'))).toThrow(
      NotEmulatedError,
    )
    // A word is a peer group's name in VyOS 1.2, which the twin does not translate.
    expect(() => setPath(leaf0(), words('protocols bgp 65005 neighbor SPINES remote-as 500'))).toThrow(
      "vyos: 'neighbor SPINES' is not available in the twin lab",
    )
  })
})

describe('delete', () => {
  it('removes a neighbor with its subtree, and containers its deletion leaves empty', () => {
    const tree = leaf0()
    expect(deletePath(tree, words('protocols bgp 65005 neighbor 10.1.5.11'))).toEqual({ ok: true, output: '' })
    expect(deletePath(tree, words('protocols bgp 65005 parameters bestpath as-path multipath-relax')).ok).toBe(true)
    const commands = bgpCommands(tree)
    expect(commands.some((line) => line.includes('10.1.5.11'))).toBe(false)
    expect(commands.some((line) => line.includes('bestpath'))).toBe(false)
    expect(commands).toContain("set protocols bgp 65005 parameters router-id '10.1.5.1'")
  })

  it('says there is nothing to delete for a node or value that is not there', () => {
    const tree = leaf0()
    expect(deletePath(tree, words('protocols bgp 65005 neighbor 10.1.5.99'))).toEqual({
      ok: true,
      output: '\n  Nothing to delete (the specified node does not exist)\n\n',
    })
    expect(deletePath(tree, words('protocols bgp 65005 neighbor 10.1.10.2 remote-as 999')).output).toBe(
      '\n  Nothing to delete (the specified value does not exist)\n\n',
    )
    expect(bgpCommands(tree)).toEqual(bgpCommands(leaf0()))
  })
})

describe('edit and up', () => {
  it('moves to an existing node or tag value, creating it when missing, and refuses a leaf', () => {
    const tree = leaf0()
    expect(editPath(tree, words('protocols bgp 65005'), [])).toMatchObject({
      ok: true,
      level: words('protocols bgp 65005'),
    })
    expect(editPath(tree, words('neighbor 10.1.5.12'), words('protocols bgp 65005'))).toMatchObject({
      ok: true,
      level: words('protocols bgp 65005 neighbor 10.1.5.12'),
    })
    expect(bgpCommands(tree).some((line) => line.includes('10.1.5.12'))).toBe(true)
    expect(editPath(tree, words('parameters router-id'), words('protocols bgp 65005'))).toEqual({
      ok: false,
      output: 'The "edit" command cannot be issued at the specified level\n',
    })
    expect(editPath(tree, words('protocols bgpp'), []).error).toBe(
      '\n  Configuration path: protocols [bgpp] is not valid\n  Edit failed\n\n',
    )
  })

  it('goes up one node, or two from a tag value', () => {
    expect(levelUp(words('protocols bgp 65005 neighbor 10.1.5.10'))).toEqual(words('protocols bgp 65005'))
    expect(levelUp(words('protocols bgp 65005 parameters'))).toEqual(words('protocols bgp 65005'))
    expect(levelUp(words('protocols'))).toEqual([])
    expect(levelUp([])).toBeUndefined()
  })
})
