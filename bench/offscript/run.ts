/**
 * `npm run bench:offscript` (as root): brings a twin lab to the end of chapter 6 with the course's own solutions,
 * runs every command of commands.yaml on it (off the script: reading, exec, destructive, typos), classifies each
 * answer and checks the lab after each, and writes bench/results/offscript.md. Takes a few minutes.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { chapterSixLab } from './chapter-six-lab.ts'
import { loadOffscriptCommands } from './commands.ts'
import { isFinding, offscriptReport } from './report.ts'
import { sweep } from './sweep.ts'

const commands = loadOffscriptCommands()
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
    "Classes: answered (exit 0 with output), tool error (exit != 0, in the real tool's words; a typo refused as unknown),",
    "honest limit (the twin's \"'<what>' is not available in the twin lab\"), unknown command (a real command or flag",
    'called unknown: a defect), internal error (a stack, a JavaScript error, an unformatted value, a tool failure in the',
    "daemon's log, a timeout, or an empty answer: a defect).",
  ]
  const file = join(import.meta.dirname, '..', 'results', 'offscript.md')
  writeFileSync(file, offscriptReport(results, header))
  console.log(`${results.filter(isFinding).length} findings; wrote ${file}`)
} finally {
  await lab.down()
}
