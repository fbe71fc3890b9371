import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKSPACE_SOURCE } from '../../copy-workspace.ts'
import { translateVyosConfig } from './frr-config.ts'

const seedConfig = (router: string) => {
  const file = join(WORKSPACE_SOURCE, 'startup-conf', `${router}-boot.cfg`)
  return { file, source: readFileSync(file, 'utf8') }
}

function errorOf(source: string): { code?: string; message: string } {
  try {
    translateVyosConfig(source, 'leaf9-boot.cfg')
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected the translation to fail')
}

describe('translateVyosConfig', () => {
  it('translates maximum-paths at the bgp level and in the address family, and a shut neighbor', () => {
    const { source } = seedConfig('leaf0')
    const changed = source
      .replace(
        '        neighbor 10.1.10.2 {\n',
        '        maximum-paths {\n            ebgp 1\n        }\n        neighbor 10.1.10.2 {\n            shutdown\n',
      )
      .replace(
        '                network 10.1.5.0/24 {\n',
        '                maximum-paths {\n                    ibgp 4\n                }\n                network 10.1.5.0/24 {\n',
      )
    const bgp = translateVyosConfig(changed, 'leaf0-boot.cfg').bgp
    expect(bgp).toEqual(
      expect.arrayContaining(['  maximum-paths 1', '  maximum-paths ibgp 4', ' neighbor 10.1.10.2 shutdown']),
    )
  })

  it('turns the seed leaf0 config into the FRR 8.4 config known to peer with the spines and nodes', () => {
    const { file, source } = seedConfig('leaf0')
    const config = translateVyosConfig(source, file)
    expect(config.hostname).toBe('leaf0')
    expect([...config.interfaces]).toEqual([
      ['eth1', ['10.1.10.1/24']],
      ['eth2', ['10.1.12.1/24']],
      ['eth3', ['10.1.5.1/24']],
      ['lo', []],
    ])
    expect(config.zebraConf).toContain('ip forwarding\n')
    expect(config.zebraConf).toContain('interface eth3\n ip address 10.1.5.1/24\n')
    const bgpd = config.bgpdConf.split('\n')
    expect(bgpd).toEqual(
      expect.arrayContaining([
        'router bgp 65005',
        ' no bgp ebgp-requires-policy',
        ' bgp router-id 10.1.5.1',
        ' bgp bestpath as-path multipath-relax',
        ' neighbor 10.1.5.10 remote-as 65005',
        ' neighbor 10.1.10.2 remote-as 500',
        ' neighbor 10.1.10.2 timers connect 1',
        ' neighbor 10.1.12.2 remote-as 800',
        '  network 10.1.5.0/24',
        '  neighbor 10.1.5.10 route-reflector-client',
        '  neighbor 10.1.5.11 route-reflector-client',
      ]),
    )
    // Per-neighbor statements come after `address-family ipv4 unicast`, as FRR requires.
    expect(bgpd.indexOf('  neighbor 10.1.5.10 route-reflector-client')).toBeGreaterThan(
      bgpd.indexOf(' address-family ipv4 unicast'),
    )
  })

  it('translates every seed router', () => {
    for (const router of ['spine0', 'spine1', 'leaf1']) {
      const { file, source } = seedConfig(router)
      expect(translateVyosConfig(source, file).bgpdConf).toMatch(/^router bgp \d+$/m)
    }
  })

  it('points at the line of a block that is never closed', () => {
    const error = errorOf('interfaces {\n    ethernet eth1 {\n        address 10.1.10.1/24\n}\n')
    expect(error.code).toBe('TWIN_VYOS_CONFIG')
    expect(error.message).toBe('leaf9-boot.cfg:1: block "interfaces" is never closed (missing \'}\')')
  })

  it('rejects a stray closing brace with its line', () => {
    expect(errorOf('protocols {\n}\n}\n').message).toBe("leaf9-boot.cfg:3: unexpected '}' (no block is open)")
  })

  it('rejects a malformed address with the statement and line', () => {
    const error = errorOf('interfaces {\n    ethernet eth1 {\n        address 10.1.10.300/24\n    }\n}\n')
    expect(error.message).toBe(
      'leaf9-boot.cfg:3: "address 10.1.10.300/24": expected an IPv4 address with prefix length, like 10.1.5.1/24',
    )
  })

  it('refuses routing statements it cannot translate instead of dropping them', () => {
    const error = errorOf('protocols {\n    ospf {\n    }\n}\n')
    expect(error.message).toBe('leaf9-boot.cfg:2: protocol "ospf" is not supported by the lab\'s VyOS translation')
  })

  it('requires remote-as on a neighbor', () => {
    const error = errorOf('protocols {\n    bgp 65005 {\n        neighbor 10.1.5.10 {\n        }\n    }\n}\n')
    expect(error.message).toBe('leaf9-boot.cfg:3: neighbor 10.1.5.10 has no remote-as')
  })

  it('keeps line numbers right across multi-line comments', () => {
    expect(errorOf('/* a\n   comment */\nbogus {\n}\n').message).toBe(
      'leaf9-boot.cfg:3: section "bogus" is not supported by the lab\'s VyOS translation',
    )
  })
})
