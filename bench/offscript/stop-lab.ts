/**
 * A twin lab at a stop of the course (stops.ts), built by the course's own solutions as a hosted lab's reset does
 * (hosting/replay-solutions.ts), with the daemon's log tapped so a tool that throws is seen even when its answer
 * looks like an ordinary error.
 */

import { replaySolutions } from '../../hosting/replay-solutions.ts'
import type { LabBackend } from '../../lab/backend.ts'
import { createTwinBackend } from '../../lab/twin/backend.ts'
import { loadCourse, stepsDir } from '../../toolchain/course/load-course.ts'
import { waitUsable } from './lab-probe.ts'
import { chaptersTo, type Stop } from './stops.ts'

export interface StopLab {
  lab: LabBackend
  stop: Stop
  /** The daemon's log lines since the last call. */
  takeDaemonLog: () => string[]
  /** Course commands replayed to get here. */
  replayed: number
}

/** Brings a fresh twin to `stop`; on any failure it is torn down before the error is thrown. */
export async function stopLab(stop: Stop): Promise<StopLab> {
  const { course } = loadCourse(stepsDir())
  const { chapters, order } = chaptersTo(stop, course.chapters)
  let log: string[] = []
  const lab = createTwinBackend({ onLog: (line) => log.push(line) })
  try {
    await lab.up()
    const replayed = await replaySolutions(lab, chapters, order)
    const probe = await waitUsable(lab, stop.state, 120_000)
    if (!probe.usable) throw new Error(`the lab did not reach "${stop.name}": ${probe.missing.join('; ')}`)
    const takeDaemonLog = () => {
      const taken = log
      log = []
      return taken
    }
    takeDaemonLog()
    return { lab, stop, takeDaemonLog, replayed }
  } catch (error) {
    await lab.down()
    throw error
  }
}
