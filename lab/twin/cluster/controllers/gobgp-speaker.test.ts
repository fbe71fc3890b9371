import { describe, expect, it } from 'vitest'
import { fakeLab } from '../fake-lab.ts'
import { GobgpSpeaker, type RouterConfig } from './gobgp-speaker.ts'

type Answer = { exitCode: number; stdout: string; stderr: string }

/** A speaker whose gobgp CLI calls are recorded (no gobgpd: the fake lab gives every command `answer`). */
function recorded(config: RouterConfig, answer: Answer = { exitCode: 0, stdout: '', stderr: '' }) {
  const lab = fakeLab('/run/test-lab')
  const calls: string[] = []
  lab.run = async (argv) => {
    calls.push(argv.slice(3).join(' '))
    return answer
  }
  return { speaker: new GobgpSpeaker(lab, 'clab-bgp-worker', config), calls }
}

const base: RouterConfig = { asn: 65005, routerId: '10.1.5.11', neighbors: [{ address: '10.1.5.1', asn: 65005 }], listen: true }

describe('GobgpSpeaker.reconfigure', () => {
  it('changes neighbors through the API: removed ones first, then added ones; a changed peer ASN is both', async () => {
    const { speaker, calls } = recorded(base)
    await speaker.reconfigure({ ...base, neighbors: [] })
    await speaker.reconfigure({ ...base, neighbors: [{ address: '10.1.5.1', asn: 65005 }, { address: '10.1.5.2', asn: 65010 }] })
    await speaker.reconfigure({ ...base, neighbors: [{ address: '10.1.5.1', asn: 65099 }, { address: '10.1.5.2', asn: 65010 }] })
    expect(calls).toEqual([
      'neighbor del 10.1.5.1',
      'neighbor add 10.1.5.1 as 65005',
      'neighbor add 10.1.5.2 as 65010',
      'neighbor del 10.1.5.1',
      'neighbor add 10.1.5.1 as 65099',
    ])
    expect(speaker.config.neighbors).toEqual([{ address: '10.1.5.1', asn: 65099 }, { address: '10.1.5.2', asn: 65010 }])
  })

  it('refuses what needs a new gobgpd: another local ASN, router id or listen port', async () => {
    const { speaker, calls } = recorded(base)
    for (const change of [{ asn: 65008 }, { routerId: '10.1.5.99' }, { listen: false }]) {
      expect(speaker.canReconfigure({ ...base, ...change })).toBe(false)
      await expect(speaker.reconfigure({ ...base, ...change })).rejects.toThrow(/needs a restart/)
    }
    expect(calls).toEqual([])
    expect(speaker.canReconfigure({ ...base, neighbors: [] })).toBe(true)
  })

  it('fails with the gobgp error when the API refuses a change', async () => {
    const { speaker } = recorded(base, { exitCode: 1, stdout: '', stderr: 'can not find peer\n' })
    await expect(speaker.reconfigure({ ...base, neighbors: [] })).rejects.toThrow('gobgp neighbor del 10.1.5.1 (clab-bgp-worker): can not find peer')
  })
})
