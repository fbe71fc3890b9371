/**
 * `npm run bench:offscript` (as root): brings a twin lab to the end of chapter 6 with the course's own solutions,
 * runs every command of commands.yaml on it (off the script: reading, exec, destructive, typos), classifies each
 * answer and checks the lab after each, and writes bench/results/offscript.md. Takes a few minutes.
 *
 * The answers are kept in $TMPDIR/offscript-answers.json: `npm run bench:offscript -- --from <that file>` classifies
 * them again with the current commands.yaml and classifier, without a lab (for a misclassification found in a report).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chapterSixLab } from './chapter-six-lab.ts'
import { classify } from './classify.ts'
import { loadOffscriptCommands } from './commands.ts'
import { isFinding, offscriptReport } from './report.ts'
import { type SweepResult, sweep } from './sweep.ts'

interface SavedSweep {
  header: string[]
  results: SweepResult[]
}

const { values } = parseArgs({ options: { from: { type: 'string' } } })
const commands = loadOffscriptCommands()
const saved = values.from ? reclassify(JSON.parse(readFileSync(values.from, 'utf8'))) : await sweepNewLab()
const file = join(import.meta.dirname, '..', 'results', 'offscript.md')
writeFileSync(file, offscriptReport(saved.results, saved.header))
console.log(`${saved.results.filter(isFinding).length} findings; wrote ${file}`)

/** The saved answers with each command's current entry (a command no longer listed is dropped) and class. */
function reclassify(old: SavedSweep): SavedSweep {
  const results = old.results.flatMap((r) => {
    const command = commands.find((c) => c.command === r.command.command)
    return command ? [{ ...r, command, outcome: classify(command, r.answer) }] : []
  })
  const missing = commands.length - results.length
  const again = `Classified again (--from) ${new Date().toISOString().slice(0, 16)}Z with the commands.yaml and classifier of then${missing ? ` (${missing} command(s) added since were not run)` : ''}.`
  return { header: [...old.header, again], results }
}

async function sweepNewLab(): Promise<SavedSweep> {
  const started = Date.now()
  const { lab, takeDaemonLog, replayed } = await chapterSixLab()
  const builtMs = Date.now() - started
  try {
    const results = await sweep(lab, commands, {
      takeDaemonLog,
      onResult: (r, i) =>
        console.log(
          `${String(i + 1).padStart(3)}/${commands.length} ${isFinding(r) ? 'FINDING' : 'ok     '} ${r.outcome.class.padEnd(15)} ${r.command.command}`,
        ),
    })
    const header = [
      `\`npm run bench:offscript\` as root, ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores (load ${loadavg()[0].toFixed(1)} at the end).`,
      `A fresh twin lab brought to the end of chapter 6 by ${replayed} course commands in ${(builtMs / 1000).toFixed(0)} s, then ${commands.length} commands`,
      `from bench/offscript/commands.yaml in ${((Date.now() - started - builtMs) / 1000).toFixed(0)} s, one at a time, each followed by its restore commands and the`,
      'lab probe (4 nodes Ready, leaf0 Established with its 4 peers, the service /32 on leaf0; up to 60 s to come back).',
    ]
    const answers = join(tmpdir(), 'offscript-answers.json')
    writeFileSync(answers, JSON.stringify({ header, results } satisfies SavedSweep))
    console.log(`answers kept in ${answers}`)
    return { header, results }
  } finally {
    await lab.down()
  }
}
