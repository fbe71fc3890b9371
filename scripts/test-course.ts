/**
 * `npm run test:course`: the course self-test. On a fresh lab (the twin unless `--lab real`), every chapter in order:
 * gated chapters' checks must fail first, then every step is run through a real runner, then the checks must pass.
 * Prints a table per run; `--repeat N` runs N fresh labs and reports the flake rate. Exits 1 on any failure.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { LabBackend } from '../lab/backend.ts'
import { createLab, type LabChoice } from '../lab/index.ts'
import { loadCourse, stepsDir } from '../toolchain/course/load-course.ts'
import { formatFlakes, formatRun, runPassed } from '../toolchain/self-test/report.ts'
import { type ChapterReport, runCourseSelfTest } from '../toolchain/self-test/self-test.ts'

const { values: flags } = parseArgs({
  options: {
    repeat: { type: 'string', default: '1' },
    lab: { type: 'string', default: 'twin' },
    'step-retries': { type: 'string', default: '2' },
    locale: { type: 'string', default: 'en' },
  },
})

function whole(name: 'repeat' | 'step-retries', min: number): number {
  const value = Number(flags[name])
  if (!Number.isInteger(value) || value < min) {
    console.error(`test:course: --${name} ${flags[name]}: expected a whole number >= ${min}`)
    process.exit(2)
  }
  return value
}
if (!['twin', 'real', 'auto'].includes(flags.lab)) {
  console.error(`test:course: --lab ${flags.lab}: expected twin, real or auto`)
  process.exit(2)
}
if (flags.locale !== 'en' && flags.locale !== 'zh') {
  console.error(`test:course: --locale ${flags.locale}: expected en or zh`)
  process.exit(2)
}

const repeat = whole('repeat', 1)
const stepRetries = whole('step-retries', 0)
const { course } = loadCourse(stepsDir(process.cwd()))
let lab: LabBackend | undefined

// Ctrl-C or a kill must not leave namespaces and daemons behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\ntest:course: ${signal}, tearing the lab down`)
    void (lab?.down() ?? Promise.resolve()).finally(() => process.exit(130))
  })
}

const runs: ChapterReport[][] = []
for (let run = 1; run <= repeat; run++) {
  const stateDir = await mkdtemp(join(tmpdir(), 'course-self-test-'))
  const started = Date.now()
  lab = await createLab(flags.lab as LabChoice)
  let reports: ChapterReport[] = []
  try {
    await lab.up()
    console.log(`run ${run}/${repeat} on the ${lab.kind} lab (up in ${((Date.now() - started) / 1000).toFixed(1)} s)`)
    reports = await runCourseSelfTest({
      lab,
      course,
      stateDir,
      locale: flags.locale,
      stepRetries,
      onChapter: (r) => console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.chapterId}`),
    })
  } catch (error) {
    console.error(`run ${run}: ${(error as Error).message}`)
  } finally {
    await lab.down()
    await rm(stateDir, { recursive: true, force: true })
  }
  runs.push(reports)
  console.log(
    `\n${formatRun(reports)}\n\nrun ${run} ${runPassed(reports, course.chapters.length) ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  )
}
if (repeat > 1) console.log(formatFlakes(runs, course.chapters.length))
process.exit(runs.every((r) => runPassed(r, course.chapters.length)) ? 0 : 1)
