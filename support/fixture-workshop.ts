/**
 * A whole workshop on the fixture course and the fixture lab, for integration and browser tests: a hub with hosted
 * labs (real runners, each on a fresh fixture lab) and one learner with a local runner joined through the join client.
 * `close()` tears everything down, also after a setup that failed half-way.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HostedLabManager } from '../hosting/hosted-lab-manager.ts'
import { runnerLabStarter } from '../hosting/start-runner-lab.ts'
import { hubChapters } from '../instructor/hub/course-outline.ts'
import { createHub, type Hub, type HubOptions } from '../instructor/hub/create-hub.ts'
import { connectToHub, type HubConnection } from '../instructor/join.ts'
import { createRunner, type Runner } from '../runner/runner.ts'
import { readCourse } from '../toolchain/course/load-course.ts'
import { FixtureLab } from './fixture-lab.ts'

export const fixtureCourse = readCourse('support/fixture-course/steps').course

export interface FixtureWorkshop {
  hub: Hub
  /** Hosted labs in the order they started. */
  hostedLabs: FixtureLab[]
  local: { lab: FixtureLab; runner: Runner; connection: HubConnection; learnerId: string }
  /** A scratch dir removed by close(). */
  dir: string
  close(): Promise<void>
}

export async function startFixtureWorkshop(options: {
  localName: string
  siteDir?: string
  hub?: Partial<HubOptions>
}): Promise<FixtureWorkshop> {
  const course = fixtureCourse
  const dir = mkdtempSync(join(tmpdir(), 'fixture-workshop-'))
  const hostedLabs: FixtureLab[] = []
  const parts: { hub?: Hub; lab?: FixtureLab; runner?: Runner; connection?: HubConnection } = {}
  const close = async () => {
    parts.connection?.close()
    await parts.runner?.close()
    await parts.hub?.close()
    for (const lab of [...hostedLabs, parts.lab]) await lab?.down()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const hub = (parts.hub = await createHub({ chapters: hubChapters(course), ...options.hub }))
    hub.setHosted(
      new HostedLabManager({
        hubUrl: hub.url,
        workshopCode: hub.workshopCode,
        chapters: course.chapters,
        onJoined: (id) => hub.core.markHosted(id),
        onExpired: (id) => void hub.core.remove(id),
        start: runnerLabStarter({
          course,
          stateRoot: dir,
          siteDir: options.siteDir,
          host: '127.0.0.1',
          createLab: async () => {
            const lab = new FixtureLab()
            hostedLabs.push(lab)
            return lab
          },
        }),
      }),
    )
    const lab = (parts.lab = new FixtureLab())
    await lab.up()
    const runner = (parts.runner = await createRunner({
      lab,
      course,
      stateDir: join(dir, 'local'),
      siteDir: options.siteDir,
    }))
    const connection = (parts.connection = connectToHub({
      url: hub.url,
      code: hub.workshopCode,
      name: options.localName,
      runner,
    }))
    const { learnerId } = await connection.joined
    return { hub, hostedLabs, local: { lab, runner, connection, learnerId }, dir, close }
  } catch (error) {
    await close()
    throw error
  }
}
