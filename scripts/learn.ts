/**
 * `npm run learn`: build the site if needed, start the lab and the runner, print the link (with its access token)
 * and open the browser. Ctrl-C stops everything: runner, terminals, lab. `npm run learn -- --help` lists the options.
 */

import { join, resolve } from 'node:path'
import { execa } from 'execa'
import { createLab, type LabChoice } from '../lab/index.ts'
import { createRunner } from '../runner/runner.ts'
import { isLoopback } from '../runner/server/security.ts'
import { exitOnCodedError } from '../toolchain/cli/exit-on-coded-error.ts'
import { openBrowser } from '../toolchain/cli/open-browser.ts'
import { parseCli } from '../toolchain/cli/parse-cli.ts'
import { formatIssue } from '../toolchain/course/course-error.ts'
import { readCourse, stepsDir } from '../toolchain/course/load-course.ts'
import { courseSite, ensureSite } from '../toolchain/site/ensure-site.ts'

const root = resolve(import.meta.dirname, '..')
const values = parseCli(
  {
    command: 'npm run learn --',
    summary: 'Opens the Cilium BGP course in your browser, with its lab and terminals.',
    notes: [
      'Environment: LAB_PROGRESS_DIR (state dir), LAB_DOCS_DIR, LAB_STEPS_DIR, LAB_OUT_DIR (the course and its site).',
    ],
  },
  {
    port: {
      type: 'string',
      value: '<n>',
      default: '4242',
      description: 'port to listen on (the next free one when busy)',
    },
    host: {
      type: 'string',
      value: '<addr>',
      default: '127.0.0.1',
      description: 'interface to listen on; any other than loopback lets others reach a root shell (a warning says so)',
    },
    open: { type: 'boolean', default: true, description: 'print the link without opening a browser' },
    lab: {
      type: 'string',
      value: 'auto|twin|real',
      default: 'auto',
      description: 'which lab to run: the twin where Docker, kind or containerlab are missing',
    },
    'state-dir': {
      type: 'string',
      value: '<dir>',
      description:
        'where progress, terminal output and the lab files you edit are kept (default: $LAB_PROGRESS_DIR or .progress/)',
    },
    origin: {
      type: 'string',
      value: '<url>',
      multiple: true,
      default: [],
      description: 'also accept pages served from this origin (repeatable; behind a proxy or a Service)',
    },
    dev: {
      type: 'boolean',
      default: false,
      description: 'serve pages from `vitepress dev` (live reload while authoring), which proxies the lab socket here',
    },
    'dev-port': { type: 'string', value: '<n>', default: '5173', description: 'port of the dev server (with --dev)' },
    join: { type: 'string', value: '<link>', description: "join an instructor's workshop: the class join link" },
    name: { type: 'string', value: '<name>', description: 'your name on the dashboard (with --join; default: $USER)' },
    code: { type: 'string', value: '<code>', description: 'the workshop code, when the link does not carry it' },
  },
)

const say = (line: string) => console.log(line)
if (!['auto', 'twin', 'real'].includes(values.lab)) {
  console.error(`npm run learn --: --lab must be auto, twin or real (got "${values.lab}")`)
  process.exit(2)
}

const loaded = readCourse(stepsDir(root))
if (loaded.issues.length > 0) {
  console.error(`The course has ${loaded.issues.length} error(s):`)
  for (const issue of loaded.issues) console.error(`  ${formatIssue(issue)}`)
  process.exit(1)
}

const site = courseSite(root)
if (!values.dev) await ensureSite(site, say).catch(exitOnCodedError('The course site is not ready'))
const devPort = Number(values['dev-port'])
const devOrigins = values.dev ? [`http://localhost:${devPort}`, `http://127.0.0.1:${devPort}`] : []

const stateDir = resolve(values['state-dir'] ?? process.env.LAB_PROGRESS_DIR ?? join(root, '.progress'))
// The learner's lab files live beside the progress, so an edited VyOS config or policy survives a restart too.
const lab = await createLab(values.lab as LabChoice, { workspace: join(stateDir, 'lab-files') })
const runner = await createRunner({
  lab,
  course: loaded.course,
  stateDir,
  siteDir: values.dev ? undefined : site.outDir,
  host: values.host,
  port: Number(values.port),
  portAttempts: 20,
  extraOrigins: [...devOrigins, ...values.origin],
}).catch(exitOnCodedError('The course cannot start'))
const devServer = values.dev
  ? execa(
      process.execPath,
      [join(root, 'node_modules/vitepress/bin/vitepress.js'), 'dev', '--port', String(devPort), '--strictPort'],
      {
        cwd: root,
        env: { LAB_RUNNER_URL: runner.url.replace(/\/$/, '') },
        stdout: 'inherit',
        stderr: 'inherit',
        reject: false,
      },
    )
  : undefined
const openUrl = values.dev ? `http://localhost:${devPort}/?token=${runner.token}` : runner.openUrl

let hub: { close(): void } | undefined
if (values.join) {
  const { connectToHub, parseJoinLink } = await import('../instructor/join.ts')
  const { url, code } = parseJoinLink(values.join, values.code)
  hub = connectToHub({
    url,
    code,
    name: values.name ?? process.env.USER ?? 'learner',
    runner,
    onState: (state, detail) => say(`workshop: ${state}${detail ? ` (${detail})` : ''}`),
  })
}

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  say(`\n${signal}: stopping the runner and the lab...`)
  hub?.close()
  devServer?.kill('SIGTERM')
  await runner.close()
  await lab.down()
  say(`Stopped. Your progress is saved in ${stateDir}`)
  process.exit(0)
}
process.on('SIGINT', () => void stop('Ctrl-C'))
process.on('SIGTERM', () => void stop('SIGTERM'))

say('')
say(`  The course is running (${lab.kind} lab). Open this link in your browser:`)
say('')
say(`      ${openUrl}`)
say('')
if (!isLoopback(values.host)) {
  say(
    `  WARNING: listening on ${values.host}, not only on this machine: anyone who can reach it and has the link gets a`,
  )
  say('  root shell on the lab host. Use --host 127.0.0.1 unless you mean it.')
  say('')
}
say(`  Progress is saved in ${stateDir}. Press Ctrl-C to stop.`)
if (values.open && !(await openBrowser(openUrl))) say('  (No browser could be opened here: open the link by hand.)')

lab.up().catch((error: Error) => console.error(`The lab failed to start: ${error.message}`))
