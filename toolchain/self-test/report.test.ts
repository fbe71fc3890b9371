import { describe, expect, it } from 'vitest'
import { formatFlakes, formatRun, runPassed } from './report.ts'
import type { ChapterReport } from './self-test.ts'

const passing: ChapterReport = {
  chapterId: 'build-the-lab',
  section: 'lab-setup',
  before: {
    ok: false,
    ms: 1200,
    failing: [{ checkId: 'nodes-ready', reason: 'not ready', expected: 'Ready', actual: 'NotReady' }],
  },
  steps: [
    { stepId: 'kind-create', optional: false, ok: true, tries: 1, ms: 2000 },
    { stepId: 'clab-deploy', optional: false, ok: true, tries: 2, ms: 3000 },
  ],
  after: { ok: true, ms: 800, failing: [] },
  ok: true,
  problems: [],
}
const failing: ChapterReport = {
  ...passing,
  chapterId: 'bgp-at-work',
  section: 'cilium-bgp',
  ok: false,
  problems: ['check leaf0-ecmp failed: one next hop'],
}

describe('course self-test report', () => {
  it('shows fail-first, steps with reruns, times and the result per chapter', () => {
    const text = formatRun([passing, failing])
    const [header, , row] = text.split('\n')
    expect(header).toMatch(
      /^chapter\s+section\s+checks first\s+steps\s+step time\s+checks after\s+check time\s+result$/,
    )
    expect(row).toMatch(/^build-the-lab\s+lab-setup\s+failed \(1\)\s+2\/2 \(\+1 rerun\)\s+5\.0 s\s+pass\s+2\.0 s\s+ok$/)
    expect(text).toContain('  bgp-at-work: check leaf0-ecmp failed: one next hop')
  })

  it('counts a run as passed only when it walked every chapter and all passed', () => {
    expect(runPassed([passing], 1)).toBe(true)
    expect(runPassed([passing], 2)).toBe(false)
    expect(runPassed([passing, failing], 2)).toBe(false)
  })

  it('reports the flake rate over repeated runs', () => {
    const text = formatFlakes(
      [
        [passing, passing],
        [passing, failing],
        [passing, passing],
        [passing, passing],
      ],
      2,
    )
    expect(text).toContain('flake rate: 1/4 runs failed (25.0%)')
    expect(text).toContain('bgp-at-work: failed in 1 of 4 runs')
  })
})
