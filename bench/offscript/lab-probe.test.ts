import { describe, expect, it } from 'vitest'
import type { ExecResult } from '../../lab/backend.ts'
import { probeLab } from './lab-probe.ts'
import { STOPS } from './stops.ts'

/** A lab whose probe commands print what `answers` holds for the first word that tells them apart. */
const lab = (nodes: string, established: number, routes: string) => ({
  exec: async (command: string): Promise<ExecResult> => {
    const peers = Object.fromEntries(
      ['10.1.5.10', '10.1.5.11', '10.1.10.2', '10.1.12.2'].map((p, i) => [
        p,
        { state: i < established ? 'Established' : 'Active' },
      ]),
    )
    const stdout = command.startsWith('kubectl')
      ? nodes
      : command.includes('json')
        ? JSON.stringify({ ipv4Unicast: { peers } })
        : routes
    return { exitCode: 0, stdout, stderr: '', timedOut: false, durationMs: 1 }
  },
})
const nodes = (status: string) =>
  ['control-plane', 'worker', 'worker2', 'worker3']
    .map((n) => `clab-bgp-${n}   ${status}   <none>   1m   v1.23.4`)
    .join('\n')

describe('the lab probe of a stop', () => {
  it('holds the lab before cilium-install to NotReady nodes, two sessions and no pod CIDR', async () => {
    const before = STOPS['build-the-lab before cilium-install']
    expect(await probeLab(lab(nodes('NotReady'), 2, ''), before)).toEqual({ usable: true, missing: [] })
    // Cilium installed off the script: the stop is left.
    const installed = await probeLab(lab(nodes('Ready'), 4, 'B>* 10.98.0.0/24 [200/0] via 10.1.5.10'), before)
    expect(installed.missing).toEqual([
      '0 of 4 nodes Ready (kubectl get nodes: 4 of 4 Ready)',
      "2 of leaf0's 4 BGP sessions Established (4 Established)",
      'no pod CIDR on leaf0 (1 BGP route(s) in 10.98.0.0/16)',
    ])
  })

  it('holds the end of chapter 4 to the four pod CIDRs on leaf0', async () => {
    const routes = [0, 1, 2, 3].map((i) => `B>* 10.98.${i}.0/24 [200/0] via 10.1.5.1${i % 2}`).join('\n')
    expect(await probeLab(lab(nodes('Ready'), 4, routes), STOPS['bgp-at-work'])).toEqual({ usable: true, missing: [] })
    const lost = await probeLab(lab(nodes('Ready'), 4, routes.split('\n')[0]), STOPS['bgp-at-work'])
    expect(lost.missing).toEqual(['the four pod CIDRs on leaf0 (1 BGP route(s) in 10.98.0.0/16)'])
  })
})
