/**
 * `npm run learn`: build the site if needed, start the lab and the runner, print the link (with its access token)
 * and open the browser. Ctrl-C stops everything: runner, terminals, lab.
 *
 *   --port <n>        port (default 4242, the next free one if busy)
 *   --host <addr>     interface (default 127.0.0.1; anything else is reachable by others: a warning says so)
 *   --no-open         do not open a browser
 *   --lab <kind>      auto | twin | real (default auto)
 *   --state-dir <d>   progress directory (default $LAB_PROGRESS_DIR or .progress/); the lab files you edit are
 *                     kept beside it, in lab-files/
 *   --origin <url>    also accept pages served from this origin (repeatable; e.g. behind a proxy or a Service)
 *   --dev             serve pages from `vitepress dev` (hot reload while authoring) on --dev-port (default 5173),
 *                     which proxies the lab socket to this runner
 *   --join <url> --name <n> [--code <c>]   join an instructor's workshop hub
 */
import { parseArgs } from 'node:util'
import { execa } from 'execa'
import { join, resolve } from 'node:path'
import { createLab, type LabChoice } from '../lab/index.ts'
import { formatIssue } from '../runner/course/course-error.ts'
import { readCourse, stepsDir } from '../runner/course/load-course.ts'
import { openBrowser } from '../runner/cli/open-browser.ts'
import { courseSite, ensureSite } from '../runner/site/ensure-site.ts'
import { exitOnCodedError } from '../runner/cli/exit-on-coded-error.ts'
import { createRunner } from '../runner/runner.ts'
import { isLoopback } from '../runner/server/security.ts'

const root = resolve(import.meta.dirname, '..')
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4242' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-open': { type: 'boolean', default: false },
    lab: { type: 'string', default: 'auto' },
    'state-dir': { type: 'string' },
    dev: { type: 'boolean', default: false },
    'dev-port': { type: 'string', default: '5173' },
    join: { type: 'string' },
    name: { type: 'string' },
    code: { type: 'string' },
    origin: { type: 'string', multiple: true },
  },
})

const say = (line: string) => console.log(line)
if (!['auto', 'twin', 'real'].includes(values.lab!)) {
  console.error(`--lab must be auto, twin or real (got "${values.lab}")`)
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
const runner = await createRunner({ lab, course: loaded.course, stateDir, siteDir: values.dev ? undefined : site.outDir, host: values.host, port: Number(values.port), portAttempts: 20, extraOrigins: [...devOrigins, ...(values.origin ?? [])] }).catch(exitOnCodedError('The course cannot start'))
const devServer = values.dev
  ? execa(process.execPath, [join(root, 'node_modules/vitepress/bin/vitepress.js'), 'dev', '--port', String(devPort), '--strictPort'], {
      cwd: root,
      env: { LAB_RUNNER_URL: runner.url.replace(/\/$/, '') },
      stdout: 'inherit',
      stderr: 'inherit',
      reject: false,
    })
  : undefined
const openUrl = values.dev ? `http://localhost:${devPort}/?token=${runner.token}` : runner.openUrl

let hub: { close(): void } | undefined
if (values.join) {
  const { connectToHub, parseJoinLink } = await import('../instructor/join.ts')
  const { url, code } = parseJoinLink(values.join, values.code)
  hub = connectToHub({ url, code, name: values.name ?? process.env.USER ?? 'learner', runner, onState: (state, detail) => say(`workshop: ${state}${detail ? ` (${detail})` : ''}`) })
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
  say('Stopped. Your progress is saved in ' + stateDir)
  process.exit(0)
}
process.on('SIGINT', () => void stop('Ctrl-C'))
process.on('SIGTERM', () => void stop('SIGTERM'))

say('')
say(`  The course is running (${lab.kind} lab). Open this link in your browser:`)
say('')
say(`      ${openUrl}`)
say('')
if (!isLoopback(values.host!)) {
  say(`  WARNING: listening on ${values.host}, not only on this machine: anyone who can reach it and has the link gets a`)
  say('  root shell on the lab host. Use --host 127.0.0.1 unless you mean it.')
  say('')
}
say(`  Progress is saved in ${stateDir}. Press Ctrl-C to stop.`)
if (!values['no-open'] && !(await openBrowser(openUrl))) say('  (No browser could be opened here: open the link by hand.)')

lab.up().catch((error: Error) => console.error(`The lab failed to start: ${error.message}`))
