import { describe, expect, it } from 'vitest'
import type { OffscriptCommand } from './commands.ts'
import { offscriptReport } from './report.ts'
import type { SweepResult } from './sweep.ts'

const result = (command: Partial<OffscriptCommand>, extra: Partial<SweepResult> = {}): SweepResult => ({
  command: { tool: 'kubectl', command: 'kubectl get nodes', want: 'the nodes', ...command },
  answer: { exitCode: 0, stdout: 'NAME STATUS\n', stderr: '', timedOut: false, daemonLog: [] },
  outcome: { class: 'answered', why: 'exit 0 with output' },
  after: { usable: true, missing: [] },
  restoreFailures: [],
  ms: 10,
  ...extra,
})

describe('the off-script report', () => {
  it('counts per stop in course order (no `at:` is the end of chapter 6), with what each stop is probed for', () => {
    const text = offscriptReport(
      [
        result({}),
        result({ at: 'bgp-at-work', command: 'kubectl get ciliumbgppeeringpolicies' }),
        result(
          { at: 'build-the-lab before cilium-install', command: 'cilium status' },
          { outcome: { class: 'wrong answer', why: 'not what the real tool answers' } },
        ),
      ],
      ['header'],
    )
    const rows = text.split('\n').filter((line) => /^\| (build|bgp|\*\*all)/.test(line))
    expect(rows.slice(0, 4)).toEqual([
      '| build-the-lab before cilium-install | 0/4 nodes Ready, 2/4 leaf0 sessions, no pod CIDR on leaf0 | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 0 |',
      '| bgp-at-work | 4/4 nodes Ready, 4/4 leaf0 sessions, the four pod CIDRs on leaf0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |',
      "| bgp-lb-ipam | 4/4 nodes Ready, 4/4 leaf0 sessions, the service's 30.0.10.x/32 on leaf0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |",
      '| **all** | | 3 | 2 | 0 | 0 | 0 | 1 | 0 | 0 |',
    ])
    expect(text).toContain(
      '### `cilium status`\n\nAt build-the-lab before cilium-install: the nodes (kubectl). **wrong answer**',
    )
    expect(text).toContain(
      '| 3 | build-the-lab before cilium-install | kubectl | wrong answer | 0 | 10 | `cilium status` |',
    )
  })

  it("says which part of the stop's state a command left changed", () => {
    const broke = result(
      { at: 'build-the-lab', command: 'kubectl delete ds -n kube-system cilium' },
      { after: { usable: false, missing: ['4 of 4 nodes Ready (kubectl get nodes: 0 of 4 Ready)'] } },
    )
    expect(offscriptReport([broke], [])).toContain(
      'Lab not as the stop left it 60 s after it: 4 of 4 nodes Ready (kubectl get nodes: 0 of 4 Ready).',
    )
  })
})
