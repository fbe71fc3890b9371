/**
 * `npm run instructor`: starts the workshop hub and prints the instructor's dashboard link (keep it private) and the
 * class join link. Learners with a lab of their own join with `npm run learn -- --join <link> --name <name>`; the
 * others open the link in a browser and get a hosted twin lab on this machine. INSTRUCTOR_SECRET and WORKSHOP_CODE,
 * when set, replace the random secrets (deployments that restart the hub).
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadCourse, stepsDir } from '../runner/course/load-course.ts'
import { courseSite, ensureSite } from '../runner/site/ensure-site.ts'
import { exitOnCodedError } from '../runner/cli/exit-on-coded-error.ts'
import { SANDBOX_DEFAULTS } from '../lab/twin/sandbox/sandbox.ts'
import { createHub } from '../instructor/hub/create-hub.ts'
import { hubChapters } from '../instructor/hub/course-outline.ts'
import { createPresenterTerminal } from '../instructor/presenter-terminal.ts'
import { HostedLabManager } from '../instructor/hosted/hosted-lab-manager.ts'
import { runnerLabStarter } from '../instructor/hosted/start-runner-lab.ts'
import { sandboxedTwin } from '../instructor/hosted/sandboxed-twin.ts'

const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '4400' },
    hosted: { type: 'boolean', default: true },
    warm: { type: 'string', default: '0' },
    max: { type: 'string', default: '20' },
    'idle-minutes': { type: 'string', default: '60' },
    // Each hosted lab's cgroup limits (0 leaves one unset).
    'lab-memory-mib': { type: 'string', default: String(SANDBOX_DEFAULTS.memoryBytes / 2 ** 20) },
    'lab-pids': { type: 'string', default: String(SANDBOX_DEFAULTS.pids) },
    'lab-cpus': { type: 'string', default: String(SANDBOX_DEFAULTS.cpus) },
    'stuck-minutes': { type: 'string', default: '5' },
    'stuck-failures': { type: 'string', default: '3' },
    presenter: { type: 'boolean', default: true },
    'allow-origin': { type: 'string', multiple: true, default: [] },
  },
})

function count(name: keyof typeof flags): number {
  const value = Number(flags[name])
  if (!Number.isInteger(value) || value < 0) {
    console.error(`instructor: --${name} ${String(flags[name])}: expected a whole number`)
    process.exit(2)
  }
  return value
}

function cpus(): number {
  const value = Number(flags['lab-cpus'])
  if (!(value > 0)) {
    console.error(`instructor: --lab-cpus ${flags['lab-cpus']}: expected a positive number (1.5 = one and a half cores)`)
    process.exit(2)
  }
  return value
}

if (flags.hosted && process.getuid?.() !== 0) {
  // A hosted lab gives a stranger root in it: only a sandbox with a uid of its own keeps them out of the hub (its
  // memory holds the instructor secret) and out of each other's labs, and switching uids takes root.
  console.error('instructor: hosted labs run each learner in a sandbox of its own, which needs root: run it with sudo, or with --no-hosted')
  process.exit(2)
}

const root = resolve(import.meta.dirname, '..')
const { course } = loadCourse(stepsDir(root))
// The dashboard is a page of the course site, served by the hub: the same build `npm run learn` uses.
const site = courseSite(root)
const siteDir = site.outDir
await ensureSite(site, console.log).catch(exitOnCodedError('The course site is not ready'))
const presenter = flags.presenter ? createPresenterTerminal({ cwd: join(root, 'workspace') }) : undefined
const hub = await createHub({
  host: flags.host,
  port: count('port'),
  chapters: hubChapters(course),
  stuckAfterMs: count('stuck-minutes') * 60_000,
  stuckFailures: count('stuck-failures'),
  siteDir,
  allowOrigins: flags['allow-origin'],
  presenter,
  // Deployments pin the links across restarts (a Kubernetes Secret); a workshop on a laptop gets fresh ones.
  instructorSecret: process.env.INSTRUCTOR_SECRET || undefined,
  workshopCode: process.env.WORKSHOP_CODE || undefined,
})

if (flags.hosted && (flags.host === '0.0.0.0' || flags.host === '::')) {
  // Hosted runners bind the hub's address and accept only that name in the Host header: a wildcard works for nobody.
  console.warn(`instructor: hosted labs need the address learners use to reach this machine: --host <LAN address>, not ${flags.host}`)
}
if (flags.hosted) {
  const stateRoot = join(root, '.lab', 'hosted')
  await mkdir(stateRoot, { recursive: true })
  const manager = new HostedLabManager({
    hubUrl: hub.url,
    workshopCode: hub.workshopCode,
    chapters: course.chapters,
    warm: count('warm'),
    max: count('max'),
    idleMs: count('idle-minutes') * 60_000,
    onJoined: (id) => hub.core.markHosted(id),
    onExpired: (id) => void hub.core.remove(id).catch(() => undefined),
    start: runnerLabStarter({
      course,
      createLab: sandboxedTwin({ memoryBytes: count('lab-memory-mib') * 2 ** 20, pids: count('lab-pids'), cpus: cpus() }),
      stateRoot,
      siteDir,
      host: flags.host,
    }),
  })
  hub.setHosted(manager)
}

console.log(
  [
    '',
    `Workshop hub on ${hub.url}`,
    '',
    `  Dashboard (instructor only, keep private):`,
    `    ${hub.dashboardLink}`,
    `  Class join link (share it):`,
    `    ${hub.joinLink}`,
    `  Workshop code: ${hub.workshopCode}`,
    '',
    `  With a lab of their own, learners run:`,
    `    npm run learn -- --join '${hub.joinLink}' --name '<name>'`,
    flags.hosted
      ? `  Learners with only a browser open the join link and get a hosted twin lab here (max ${count('max')}, ${count('warm')} warm).`
      : '  Hosted labs are off (--no-hosted): every learner needs a local lab.',
  ].join('\n'),
)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  console.log('\nstopping the hub and every hosted lab...')
  await hub.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
