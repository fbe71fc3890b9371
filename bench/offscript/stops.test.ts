import { describe, expect, it } from 'vitest'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { chaptersTo, DEFAULT_STOP, parseStop, STOPS } from './stops.ts'

const { course } = loadCourse(stepsDir())

describe('stops of the course', () => {
  it('reads "<chapter>" and "<chapter> before <step>", and names the stops when one is unknown', () => {
    expect(parseStop('bgp-at-work')).toMatchObject({ chapter: 'bgp-at-work', beforeStep: undefined })
    expect(parseStop('build-the-lab before cilium-install')).toMatchObject({
      chapter: 'build-the-lab',
      beforeStep: 'cilium-install',
      state: { ready: 0, established: 2 },
    })
    expect(() => parseStop('bgp-at-wrok')).toThrow(/unknown stop "bgp-at-wrok": one of build-the-lab before/)
  })

  it('replays every earlier chapter, then a chapter cut before the step, whose Solve is its earlier steps', () => {
    const { chapters, order } = chaptersTo(parseStop('build-the-lab before cilium-install'), course.chapters)
    const cut = chapters.at(-1)!
    expect(cut.id).toBe('build-the-lab')
    expect(cut.solution).toBeUndefined()
    expect(cut.steps.map((s) => s.id)).not.toContain('cilium-install')
    expect(cut.steps.flatMap((s) => (s.optional ? [] : [s.run].flat()))).toContain('clab deploy -t cilium.bgp.clab.yml')
    expect(chapters.every((c) => c.order < order)).toBe(true)
    // A chapter's end replays that chapter whole, with its own solution.
    const end = chaptersTo(parseStop(DEFAULT_STOP), course.chapters)
    expect(end.chapters.at(-1)?.solution?.run).toContain('kubectl apply -f lb-ipam.yaml')
  })

  it('names only chapters and steps the course has', () => {
    for (const name of Object.keys(STOPS)) expect(() => chaptersTo(parseStop(name), course.chapters)).not.toThrow()
  })
})
