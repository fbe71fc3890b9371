/**
 * A twin lab at the end of chapter 6 (LB-IPAM), built by the course's own solutions as a hosted lab's reset does
 * (hosting/replay-solutions.ts), with the daemon's log tapped so a tool that throws is seen even when its answer
 * looks like an ordinary error.
 */

import { replaySolutions } from '../../hosting/replay-solutions.ts'
import type { LabBackend } from '../../lab/backend.ts'
import { createTwinBackend } from '../../lab/twin/backend.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { waitUsable } from './lab-probe.ts'

const LAST_CHAPTER = 'bgp-lb-ipam'

export interface ChapterSixLab {
  lab: LabBackend
  /** The daemon's log lines since the last call. */
  takeDaemonLog: () => string[]
  /** Course commands replayed to get here. */
  replayed: number
}

/** Brings a fresh twin to the end of chapter 6; on any failure it is torn down before the error is thrown. */
export async function chapterSixLab(): Promise<ChapterSixLab> {
  const { course } = loadCourse(stepsDir())
  const last = course.chapters.find((c) => c.id === LAST_CHAPTER)
  if (!last) throw new Error(`the course has no chapter "${LAST_CHAPTER}"`)
  let log: string[] = []
  const lab = createTwinBackend({ onLog: (line) => log.push(line) })
  try {
    await lab.up()
    const replayed = await replaySolutions(lab, course.chapters, last.order + 1)
    const probe = await waitUsable(lab, 120_000)
    if (!probe.usable)
      throw new Error(`the lab did not reach the end of ${LAST_CHAPTER}: no ${probe.missing.join(', no ')}`)
    const takeDaemonLog = () => {
      const taken = log
      log = []
      return taken
    }
    takeDaemonLog()
    return { lab, takeDaemonLog, replayed }
  } catch (error) {
    await lab.down()
    throw error
  }
}
