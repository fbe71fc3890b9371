/**
 * `npm run instructor`: starts the workshop hub and prints the instructor's dashboard link (keep it private) and the
 * class join link. Learners with a lab of their own join with `npm run learn -- --join <link> --name <name>`; the
 * others open the link in a browser and get a hosted twin lab on this machine. INSTRUCTOR_SECRET and WORKSHOP_CODE,
 * when set, replace the random secrets (deployments that restart the hub). `npm run instructor -- --help` lists the
 * options.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { HostedLabManager } from '../hosting/hosted-lab-manager.ts'
import { sandboxedTwin } from '../hosting/sandboxed-twin.ts'
import { runnerLabStarter } from '../hosting/start-runner-lab.ts'
import { hubChapters } from '../instructor/hub/course-outline.ts'
import { createHub } from '../instructor/hub/create-hub.ts'
import { createPresenterTerminal } from '../instructor/presenter-terminal.ts'
import { SANDBOX_DEFAULTS } from '../lab/twin/sandbox/sandbox.ts'
import { exitOnCodedError } from '../toolchain/cli/exit-on-coded-error.ts'
import { openBrowser } from '../toolchain/cli/open-browser.ts'
import { parseCli } from '../toolchain/cli/parse-cli.ts'
import { loadCourse, stepsDir } from '../toolchain/course/load-course.ts'
import { courseSite, ensureSite } from '../toolchain/site/ensure-site.ts'

// The options learn also has (--host, --port, --open, --origin) mean the same here.
const flags = parseCli(
  {
    command: 'npm run instructor --',
    summary: 'Starts a workshop hub: a live dashboard for the instructor, and a join link for the class.',
    notes: [
      'Environment: INSTRUCTOR_SECRET and WORKSHOP_CODE, when set, replace the random secrets (deployments that restart the hub).',
    ],
  },
  {
    host: {
      type: 'string',
      value: '<addr>',
      default: '127.0.0.1',
      description: 'interface to listen on; learners on other machines need a LAN address (a warning says so)',
    },
    port: { type: 'string', value: '<n>', default: '4400', description: 'port to listen on' },
    open: { type: 'boolean', default: true, description: 'print the dashboard link without opening a browser' },
    origin: {
      type: 'string',
      value: '<url>',
      multiple: true,
      default: [],
      description: 'also accept dashboard pages served from this origin (repeatable; a dev server)',
    },
    hosted: {
      type: 'boolean',
      default: true,
      description: 'no hosted labs: every learner brings a lab of their own (hosted labs need root)',
    },
    warm: { type: 'string', value: '<n>', default: '0', description: 'hosted labs kept started ahead of demand' },
    max: { type: 'string', value: '<n>', default: '20', description: 'hosted labs at most, spares included' },
    'idle-minutes': {
      type: 'string',
      value: '<n>',
      default: '60',
      description: 'a hosted lab without progress for this long is stopped',
    },
    'lab-memory-mib': {
      type: 'string',
      value: '<n>',
      default: String(SANDBOX_DEFAULTS.memoryBytes / 2 ** 20),
      description: "each hosted lab's memory limit (0: none)",
    },
    'lab-pids': {
      type: 'string',
      value: '<n>',
      default: String(SANDBOX_DEFAULTS.pids),
      description: "each hosted lab's process limit (0: none)",
    },
    'lab-cpus': {
      type: 'string',
      value: '<n>',
      default: String(SANDBOX_DEFAULTS.cpus),
      description: "each hosted lab's CPU limit, in cores (1.5: one and a half)",
    },
    'stuck-minutes': {
      type: 'string',
      value: '<n>',
      default: '5',
      description: 'a learner without progress for this long is flagged stuck',
    },
    'stuck-failures': {
      type: 'string',
      value: '<n>',
      default: '3',
      description: 'or after this many failed steps or checks in a row',
    },
    presenter: { type: 'boolean', default: true, description: 'no presenter terminal on the dashboard' },
  },
)

function count(
  name: 'port' | 'warm' | 'max' | 'idle-minutes' | 'lab-memory-mib' | 'lab-pids' | 'stuck-minutes' | 'stuck-failures',
): number {
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
    console.error(
      `instructor: --lab-cpus ${flags['lab-cpus']}: expected a positive number (1.5 = one and a half cores)`,
    )
    process.exit(2)
  }
  return value
}

if (flags.hosted && process.getuid?.() !== 0) {
  // A hosted lab gives a stranger root in it: only a sandbox with a uid of its own keeps them out of the hub (its
  // memory holds the instructor secret) and out of each other's labs, and switching uids takes root.
  console.error(
    'instructor: hosted labs run each learner in a sandbox of its own, which needs root: run it with sudo, or with --no-hosted',
  )
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
  allowOrigins: flags.origin,
  presenter,
  // Deployments pin the links across restarts (a Kubernetes Secret); a workshop on a laptop gets fresh ones.
  instructorSecret: process.env.INSTRUCTOR_SECRET || undefined,
  workshopCode: process.env.WORKSHOP_CODE || undefined,
})

if (flags.hosted && (flags.host === '0.0.0.0' || flags.host === '::')) {
  // Hosted runners bind the hub's address and accept only that name in the Host header: a wildcard works for nobody.
  console.warn(
    `instructor: hosted labs need the address learners use to reach this machine: --host <LAN address>, not ${flags.host}`,
  )
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
      createLab: sandboxedTwin({
        memoryBytes: count('lab-memory-mib') * 2 ** 20,
        pids: count('lab-pids'),
        cpus: cpus(),
      }),
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
if (flags.open && !(await openBrowser(hub.dashboardLink)))
  console.log('  (No browser could be opened here: open the dashboard link by hand.)')

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
