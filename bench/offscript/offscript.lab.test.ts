/**
 * The riskiest off-script commands of commands.yaml (`risky: true`: deletes with selectors, malformed manifests, bad
 * flags, exec into what does not exist, a router stopped and started) on a twin at their stop of the course: none
 * may answer with an internal error or call a real command unknown, and the lab must be as the stop left it after
 * each. One lab per stop that has risky commands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFECTS } from './classify.ts'
import { loadOffscriptCommands, stopOf } from './commands.ts'
import { type StopLab, stopLab } from './stop-lab.ts'
import { parseStop, stopOrder } from './stops.ts'
import { sweep } from './sweep.ts'

const risky = loadOffscriptCommands().filter((c) => c.risky)
const stops = [...new Set(risky.map(stopOf))].sort((a, b) => stopOrder(a) - stopOrder(b))

it('has a subset to run', () => {
  expect(risky.length).toBeGreaterThanOrEqual(10)
})

describe.each(stops)('off-script commands at %s', (name) => {
  let built: StopLab | undefined

  beforeAll(async () => {
    built = await stopLab(parseStop(name))
  }, 300_000)

  afterAll(async () => {
    await built?.lab.down()
  }, 60_000)

  it.each(risky.filter((c) => stopOf(c) === name).map((c) => [c.command, c] as const))(
    '%s: an answer, and the lab as the stop left it after it',
    async (_, command) => {
      const [result] = await sweep(built!.lab, built!.stop.state, [command], { takeDaemonLog: built!.takeDaemonLog })
      const said = `${result.answer.stdout}${result.answer.stderr}`
      expect(DEFECTS, `${result.outcome.class} (${result.outcome.why}):\n${said}`).not.toContain(result.outcome.class)
      expect(result.restoreFailures).toEqual([])
      expect(result.after.missing).toEqual([])
    },
  )
})
