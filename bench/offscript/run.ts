/**
 * `npm run bench:offscript` (as root): for every stop of the course that commands.yaml names (stops.ts), brings a
 * fresh twin lab there with the course's own solutions, runs that stop's commands on it (off the script: reading,
 * exec, destructive, typos), classifies each answer and checks the lab after each, and tears the lab down; then writes
 * bench/results/offscript.md. Takes a few minutes.
 *
 * The answers are kept in $TMPDIR/offscript-answers.json: `npm run bench:offscript -- --from <that file>` classifies
 * them again with the current commands.yaml and classifier, without a lab (for a misclassification found in a report).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { classify } from './classify.ts'
import { loadOffscriptCommands, type OffscriptCommand, stopOf } from './commands.ts'
import { isFinding, offscriptReport } from './report.ts'
import { stopLab } from './stop-lab.ts'
import { parseStop, stopOrder } from './stops.ts'
import { type SweepResult, sweep } from './sweep.ts'

interface SavedSweep {
  header: string[]
  results: SweepResult[]
}

const { values } = parseArgs({ options: { from: { type: 'string' } } })
const commands = loadOffscriptCommands()
const saved = values.from ? reclassify(JSON.parse(readFileSync(values.from, 'utf8'))) : await sweepEveryStop()
const file = join(import.meta.dirname, '..', 'results', 'offscript.md')
writeFileSync(file, offscriptReport(saved.results, saved.header))
console.log(`${saved.results.filter(isFinding).length} findings; wrote ${file}`)

/** A command is one text typed at one stop: the same text may be typed at several. */
const key = (c: OffscriptCommand) => `${stopOf(c)}\n${c.command}`

/** The saved answers with each command's current entry (a command no longer listed is dropped) and class. */
function reclassify(old: SavedSweep): SavedSweep {
  const results = old.results.flatMap((r) => {
    const command = commands.find((c) => key(c) === key(r.command))
    return command ? [{ ...r, command, outcome: classify(command, r.answer) }] : []
  })
  const missing = commands.length - results.length
  const again = `Classified again (--from) ${new Date().toISOString().slice(0, 16)}Z with the commands.yaml and classifier of then${missing ? ` (${missing} command(s) added since were not run)` : ''}.`
  return { header: [...old.header, again], results }
}

async function sweepEveryStop(): Promise<SavedSweep> {
  const started = Date.now()
  const stops = [...new Set(commands.map(stopOf))].sort((a, b) => stopOrder(a) - stopOrder(b))
  const results: SweepResult[] = []
  const built: string[] = []
  for (const name of stops) {
    const buildStarted = Date.now()
    const { lab, stop, takeDaemonLog, replayed } = await stopLab(parseStop(name))
    const buildMs = Date.now() - buildStarted
    const here = commands.filter((c) => stopOf(c) === name)
    try {
      const sweepStarted = Date.now()
      results.push(
        ...(await sweep(lab, stop.state, here, {
          takeDaemonLog,
          onResult: (r, i) =>
            console.log(
              `${name} ${String(i + 1).padStart(3)}/${here.length} ${isFinding(r) ? 'FINDING' : 'ok     '} ${r.outcome.class.padEnd(15)} ${r.command.command}`,
            ),
        })),
      )
      built.push(
        `- ${name}: ${replayed} course commands in ${(buildMs / 1000).toFixed(0)} s, then ${here.length} commands in ${((Date.now() - sweepStarted) / 1000).toFixed(0)} s.`,
      )
    } finally {
      await lab.down()
    }
  }
  const header = [
    `\`npm run bench:offscript\` as root, ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores (load ${loadavg()[0].toFixed(1)} at the end), ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
    `For each stop of the course, a fresh twin lab brought there by the course's own solutions, then that stop's commands`,
    "from bench/offscript/commands.yaml, one at a time, each followed by its restore commands and the stop's probe",
    "(how many nodes Ready, how many of leaf0's 4 sessions Established, leaf0's BGP routes; up to 60 s to come back):",
    '',
    ...built,
    '',
  ]
  const answers = join(tmpdir(), 'offscript-answers.json')
  writeFileSync(answers, JSON.stringify({ header, results } satisfies SavedSweep))
  console.log(`answers kept in ${answers}`)
  return { header, results }
}
