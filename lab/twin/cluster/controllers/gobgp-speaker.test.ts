import { describe, expect, it } from 'vitest'
import { fakeLab } from '../fake-lab.ts'
import { GobgpSpeaker, type RouterConfig } from './gobgp-speaker.ts'

type Answer = { exitCode: number; stdout: string; stderr: string }

/** A speaker whose gobgp CLI calls are recorded (no gobgpd: the fake lab gives every command `answer`). */
function recorded(slot = 0, answer: Answer = { exitCode: 0, stdout: '', stderr: '' }) {
  const lab = fakeLab('/run/test-lab')
  const calls: string[] = []
  lab.run = async (argv) => {
    calls.push(argv.slice(3).join(' '))
    return answer
  }
  return { speaker: new GobgpSpeaker(lab, 'clab-bgp-worker', slot), calls }
}

const base: RouterConfig = { asn: 65005, routerId: '10.1.5.11', neighbors: [{ address: '10.1.5.1', asn: 65005 }], listen: true }

describe('GobgpSpeaker.configure', () => {
  it('creates the BGP server, then its paths, then its neighbors, and says it created it', async () => {
    const { speaker, calls } = recorded()
    expect(await speaker.configure(base, ['10.98.0.0/24'])).toBe(true)
    expect(calls).toEqual(['global as 65005 router-id 10.1.5.11 listen-port 179', 'global rib add -a ipv4 10.98.0.0/24 origin igp', 'neighbor add 10.1.5.1 as 65005'])
    expect(speaker.config).toEqual(base)
  })

  it('changes neighbors and paths through the API: removed ones first, then added ones; a changed peer ASN is both', async () => {
    const { speaker, calls } = recorded()
    await speaker.configure(base, ['10.98.0.0/24'])
    calls.length = 0
    expect(await speaker.configure({ ...base, neighbors: [] }, ['10.98.0.0/24', '172.18.0.200/32'])).toBe(false)
    await speaker.configure({ ...base, neighbors: [{ address: '10.1.5.1', asn: 65005 }, { address: '10.1.5.2', asn: 65010 }] }, ['172.18.0.200/32'])
    await speaker.configure({ ...base, neighbors: [{ address: '10.1.5.1', asn: 65099 }, { address: '10.1.5.2', asn: 65010 }] }, ['172.18.0.200/32'])
    expect(calls).toEqual([
      'global rib add -a ipv4 172.18.0.200/32 origin igp',
      'neighbor del 10.1.5.1',
      'global rib del -a ipv4 10.98.0.0/24',
      'neighbor add 10.1.5.1 as 65005',
      'neighbor add 10.1.5.2 as 65010',
      'neighbor del 10.1.5.1',
      'neighbor add 10.1.5.1 as 65099',
    ])
  })

  it('replaces the server for another local ASN or router id, and stops it for no router', async () => {
    const { speaker, calls } = recorded()
    await speaker.configure(base, ['10.98.0.0/24'])
    calls.length = 0
    expect(await speaker.configure({ ...base, asn: 65008 }, ['10.98.0.0/24'])).toBe(true)
    expect(await speaker.configure(null)).toBe(false)
    expect(await speaker.configure(null)).toBe(false)
    expect(calls).toEqual([
      'global del all',
      'global as 65008 router-id 10.1.5.11 listen-port 179',
      'global rib add -a ipv4 10.98.0.0/24 origin igp',
      'neighbor add 10.1.5.1 as 65005',
      'global del all',
    ])
    expect(speaker.config).toBeNull()
  })

  it('puts a server that must not take the leaves connections on a loopback port of its own', async () => {
    const { speaker, calls } = recorded(1)
    await speaker.configure({ ...base, neighbors: [], listen: false })
    expect(calls).toEqual(['global as 65005 router-id 10.1.5.11 listen-port 1791 listen-addresses 127.0.0.1'])
  })

  it('fails with the gobgp error when the API refuses a change', async () => {
    const { speaker } = recorded(0, { exitCode: 1, stdout: '', stderr: 'can not find peer\n' })
    await expect(speaker.configure(base)).rejects.toThrow('gobgp global as 65005 router-id 10.1.5.11 listen-port 179 (clab-bgp-worker): can not find peer')
  })
})
