import { describe, expect, it } from 'vitest'
import type { HubChapter } from './course-outline.ts'
import { LearnerStore } from './learner-store.ts'

const chapters: HubChapter[] = [
  { id: 'lab-setup', order: 1, title: 'Lab setup', steps: [{ id: 'kind-create' }], checks: ['nodes', 'fabric'] },
  { id: 'cilium-bgp', order: 2, title: 'Cilium BGP', requires: ['lab-setup'], checks: ['peers'] },
  { id: 'reading', order: 3, title: 'Reading', steps: [{ id: 'look' }, { id: 'explore', optional: true }] },
]

/** A run of a chapter's checks, all passing, as the runner reports it. */
function passChecks(s: LearnerStore, id: string, chapterId: string, at = 1) {
  for (const checkId of chapters.find((c) => c.id === chapterId)!.checks ?? [])
    s.apply(id, { type: 'check-finished', at, chapterId, checkId, ok: true })
}

function store(now: { t: number }) {
  return new LearnerStore({ chapters, stuckAfterMs: 60_000, stuckFailures: 3, now: () => now.t })
}

describe('LearnerStore', () => {
  it('tracks chapter, last step and distinct checks passed and failing', () => {
    const clock = { t: 1000 }
    const s = store(clock)
    s.add('a', 'Ada', 'local', null)
    s.apply('a', { type: 'chapter-opened', at: 1, chapterId: 'lab-setup' })
    s.apply('a', { type: 'step-finished', at: 2, chapterId: 'lab-setup', stepId: 'kind-create', ok: true, exitCode: 0 })
    s.apply('a', {
      type: 'check-finished',
      at: 3,
      chapterId: 'lab-setup',
      checkId: 'nodes',
      ok: false,
      reason: 'no nodes',
      output: 'No resources found',
    })
    s.apply('a', {
      type: 'check-finished',
      at: 4,
      chapterId: 'lab-setup',
      checkId: 'nodes',
      ok: false,
      reason: 'no nodes',
    })
    s.apply('a', { type: 'check-finished', at: 5, chapterId: 'lab-setup', checkId: 'fabric', ok: true })
    const view = s.get('a')!
    expect(view).toMatchObject({
      chapterId: 'lab-setup',
      stepId: 'kind-create',
      stepOk: true,
      checksPassed: 1,
      checksFailed: 1,
    })
    expect(view.lastFailure).toMatchObject({ checkId: 'nodes', reason: 'no nodes' })
  })

  it('flags failing after N failures in a row and clears on progress', () => {
    const clock = { t: 0 }
    const s = store(clock)
    s.add('a', 'Ada', 'local', null)
    for (let i = 0; i < 3; i++) {
      s.apply('a', { type: 'check-finished', at: i, chapterId: 'lab-setup', checkId: 'nodes', ok: false })
      expect(s.get('a')!.stuck).toBe(i === 2 ? 'failing' : null)
    }
    s.apply('a', { type: 'check-finished', at: 9, chapterId: 'lab-setup', checkId: 'nodes', ok: true })
    expect(s.get('a')!.stuck).toBeNull()
  })

  it('flags idle after the configured time without progress, and not when done or disconnected', () => {
    const clock = { t: 0 }
    const s = store(clock)
    s.add('a', 'Ada', 'local', null)
    s.add('b', 'Bo', 'local', null)
    s.add('c', 'Cy', 'local', null)
    passChecks(s, 'b', 'lab-setup')
    passChecks(s, 'b', 'cilium-bgp')
    s.apply('b', { type: 'step-finished', at: 1, chapterId: 'reading', stepId: 'look', ok: true, exitCode: 0 })
    s.apply('b', { type: 'chapter-completed', at: 1, chapterId: 'reading' })
    s.setConnected('c', false)
    clock.t = 59_999
    expect(s.tick()).toEqual([])
    clock.t = 60_000
    expect(s.tick()).toEqual(['a'])
    expect(s.get('a')!.stuck).toBe('idle')
    expect(s.get('b')!.stuck).toBeNull()
    expect(s.get('c')!.stuck).toBeNull()
  })

  it('counts learners per chapter in the overview', () => {
    const s = store({ t: 0 })
    s.add('a', 'Ada', 'local', null)
    s.add('b', 'Bo', 'hosted', null)
    passChecks(s, 'a', 'lab-setup')
    s.apply('a', { type: 'chapter-completed', at: 1, chapterId: 'lab-setup' })
    s.apply('a', { type: 'chapter-opened', at: 2, chapterId: 'cilium-bgp' })
    s.apply('b', { type: 'chapter-opened', at: 2, chapterId: 'lab-setup' })
    expect(s.overview()).toEqual([
      { chapterId: 'lab-setup', current: 1, completed: 1, stuck: 0 },
      { chapterId: 'cilium-bgp', current: 1, completed: 0, stuck: 0 },
      { chapterId: 'reading', current: 0, completed: 0, stuck: 0 },
    ])
  })
})

describe('LearnerStore.rewind', () => {
  it('puts the learner at the start of a chapter with only earlier chapters done', () => {
    const s = store({ t: 0 })
    s.add('a', 'Ada', 'hosted', null)
    passChecks(s, 'a', 'lab-setup')
    s.apply('a', {
      type: 'check-finished',
      at: 3,
      chapterId: 'cilium-bgp',
      checkId: 'peers',
      ok: false,
      reason: 'Idle',
    })
    s.rewind('a', 2)
    expect(s.get('a')).toMatchObject({
      chapterId: 'cilium-bgp',
      completedChapters: ['lab-setup'],
      checksPassed: 2,
      checksFailed: 0,
      lastFailure: null,
      stuck: null,
    })
  })
})

describe('LearnerStore holds events to the course', () => {
  it('refuses chapters, steps and checks the course does not have, and leaves the row as it was', () => {
    const s = store({ t: 0 })
    s.add('a', 'Ada', 'local', null)
    s.apply('a', { type: 'chapter-opened', at: 1, chapterId: 'lab-setup' })
    const before = structuredClone(s.get('a'))
    expect(() => s.apply('a', { type: 'chapter-opened', at: 2, chapterId: 'ghost' })).toThrow(
      expect.objectContaining({ code: 'HUB_UNKNOWN_CHAPTER' }),
    )
    expect(() =>
      s.apply('a', { type: 'step-finished', at: 2, chapterId: 'lab-setup', stepId: 'nope', ok: true, exitCode: 0 }),
    ).toThrow(expect.objectContaining({ code: 'HUB_UNKNOWN_STEP' }))
    expect(() =>
      s.apply('a', { type: 'check-finished', at: 2, chapterId: 'lab-setup', checkId: 'peers', ok: true }),
    ).toThrow(expect.objectContaining({ code: 'HUB_UNKNOWN_CHECK' }))
    expect(() => s.apply('a', { type: 'lab-status', at: 2, chapterId: 'ghost', state: 'ready' })).toThrow(
      expect.objectContaining({ code: 'HUB_UNKNOWN_CHAPTER' }),
    )
    expect(s.get('a')).toEqual(before)
    // A runner reports its lab before any chapter is open.
    s.apply('a', { type: 'lab-status', at: 3, chapterId: '', state: 'ready' })
    expect(s.get('a')!.labState).toBe('ready')
  })

  it("refuses a completion before the chapter's checks passed or its required chapters are completed", () => {
    const s = store({ t: 0 })
    s.add('a', 'Ada', 'local', null)
    expect(() => s.apply('a', { type: 'chapter-completed', at: 1, chapterId: 'lab-setup' })).toThrow(
      expect.objectContaining({
        code: 'HUB_NOT_COMPLETED',
        message: expect.stringContaining('missing check "nodes" passed, check "fabric" passed'),
      }),
    )
    s.apply('a', { type: 'check-finished', at: 2, chapterId: 'lab-setup', checkId: 'nodes', ok: true })
    s.apply('a', { type: 'check-finished', at: 3, chapterId: 'lab-setup', checkId: 'fabric', ok: false })
    expect(() => s.apply('a', { type: 'chapter-completed', at: 4, chapterId: 'lab-setup' })).toThrow(
      /missing check "fabric" passed/,
    )
    // Cilium BGP's check passes, but Lab setup is not completed in this row: the run does not complete the chapter.
    s.apply('a', { type: 'check-finished', at: 5, chapterId: 'cilium-bgp', checkId: 'peers', ok: true })
    expect(() => s.apply('a', { type: 'chapter-completed', at: 6, chapterId: 'cilium-bgp' })).toThrow(
      /missing chapter "lab-setup" completed/,
    )
    expect(() => s.apply('a', { type: 'chapter-completed', at: 6, chapterId: 'reading' })).toThrow(
      /missing step "look" done/,
    )
    expect(s.get('a')!.completedChapters).toEqual([])
  })

  it("completes a chapter when a run of its checks passes, in the course's order", () => {
    const s = store({ t: 0 })
    s.add('a', 'Ada', 'local', null)
    // A learner who completed Lab setup before joining re-checks it: the runner sends no second chapter-completed.
    passChecks(s, 'a', 'lab-setup')
    expect(s.get('a')!.completedChapters).toEqual(['lab-setup'])
    s.apply('a', { type: 'chapter-completed', at: 2, chapterId: 'lab-setup' })
    passChecks(s, 'a', 'cilium-bgp')
    s.apply('a', { type: 'chapter-completed', at: 3, chapterId: 'cilium-bgp' })
    s.apply('a', { type: 'step-finished', at: 4, chapterId: 'reading', stepId: 'look', ok: true, exitCode: 0 })
    s.apply('a', { type: 'chapter-completed', at: 5, chapterId: 'reading' })
    expect(s.get('a')!.completedChapters).toEqual(['lab-setup', 'cilium-bgp', 'reading'])
  })
})
