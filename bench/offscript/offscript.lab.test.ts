/**
 * The riskiest off-script commands of commands.yaml (`risky: true`: deletes with selectors, malformed manifests, bad
 * flags, exec into what does not exist, a router stopped and started) on a twin at the end of chapter 6: none may
 * answer with an internal error or call a real command unknown, and the lab must be usable after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChapterSixLab, chapterSixLab } from './chapter-six-lab.ts'
import { DEFECTS } from './classify.ts'
import { loadOffscriptCommands } from './commands.ts'
import { sweep } from './sweep.ts'

const risky = loadOffscriptCommands().filter((c) => c.risky)
let built: ChapterSixLab | undefined

beforeAll(async () => {
  built = await chapterSixLab()
}, 300_000)

afterAll(async () => {
  await built?.lab.down()
}, 60_000)

describe('off-script commands at the end of chapter 6', () => {
  it('has a subset to run', () => {
    expect(risky.length).toBeGreaterThanOrEqual(10)
  })

  it.each(risky.map((c) => [c.command, c] as const))(
    '%s: an answer, and the lab usable after it',
    async (_, command) => {
      const [result] = await sweep(built!.lab, [command], { takeDaemonLog: built!.takeDaemonLog })
      const said = `${result.answer.stdout}${result.answer.stderr}`
      expect(DEFECTS, `${result.outcome.class} (${result.outcome.why}):\n${said}`).not.toContain(result.outcome.class)
      expect(result.restoreFailures).toEqual([])
      expect(result.after.missing).toEqual([])
    },
  )
})
