import { describe, expect, it } from 'vitest'
import { LearnerStore } from './learner-store.ts'

const chapters = [
  { id: 'lab-setup', order: 1, title: 'Lab setup' },
  { id: 'cilium-bgp', order: 2, title: 'Cilium BGP' },
]

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
    s.apply('a', { type: 'check-finished', at: 3, chapterId: 'lab-setup', checkId: 'nodes', ok: false, reason: 'no nodes', output: 'No resources found' })
    s.apply('a', { type: 'check-finished', at: 4, chapterId: 'lab-setup', checkId: 'nodes', ok: false, reason: 'no nodes' })
    s.apply('a', { type: 'check-finished', at: 5, chapterId: 'lab-setup', checkId: 'fabric', ok: true })
    const view = s.get('a')!
    expect(view).toMatchObject({ chapterId: 'lab-setup', stepId: 'kind-create', stepOk: true, checksPassed: 1, checksFailed: 1 })
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
    for (const c of chapters) s.apply('b', { type: 'chapter-completed', at: 1, chapterId: c.id })
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
    s.apply('a', { type: 'chapter-completed', at: 1, chapterId: 'lab-setup' })
    s.apply('a', { type: 'chapter-opened', at: 2, chapterId: 'cilium-bgp' })
    s.apply('b', { type: 'chapter-opened', at: 2, chapterId: 'lab-setup' })
    expect(s.overview()).toEqual([
      { chapterId: 'lab-setup', current: 1, completed: 1, stuck: 0 },
      { chapterId: 'cilium-bgp', current: 1, completed: 0, stuck: 0 },
    ])
  })
})

describe('LearnerStore.rewind', () => {
  it('puts the learner at the start of a chapter with only earlier chapters done', () => {
    const s = store({ t: 0 })
    s.add('a', 'Ada', 'hosted', null)
    s.apply('a', { type: 'check-finished', at: 1, chapterId: 'lab-setup', checkId: 'nodes', ok: true })
    s.apply('a', { type: 'check-finished', at: 3, chapterId: 'cilium-bgp', checkId: 'peers', ok: false, reason: 'Idle' })
    s.apply('a', { type: 'chapter-completed', at: 4, chapterId: 'cilium-bgp' })
    s.rewind('a', 2)
    expect(s.get('a')).toMatchObject({
      chapterId: 'cilium-bgp', completedChapters: ['lab-setup'], checksPassed: 1, checksFailed: 0, lastFailure: null, stuck: null,
    })
  })
})
