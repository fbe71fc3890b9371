#!/usr/bin/env node
// Entry point of `npm run learn`, `npm test`, `npm run instructor` and `npm run setup` on any machine, fresh clone included: it installs
// what is missing (npm packages; Debian packages when root, otherwise it prints the exact command), then hands over.
// Plain JavaScript because it must run before the project's own dependencies exist.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensurePackages, TEST_PACKAGES, TWIN_PACKAGES } from './system-packages.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const [command, ...args] = process.argv.slice(2)
const log = (message) => console.error(`[setup] ${message}`)

function run(file, fileArgs, options = {}) {
  const r = spawnSync(file, fileArgs, { cwd: root, stdio: 'inherit', ...options })
  if (r.error) throw r.error
  return r.status ?? 1
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json')
  const lock = join(root, 'package-lock.json')
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return
  log('installing npm packages (first run, about a minute; node-pty compiles with node-gyp)')
  const status = run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'])
  if (status !== 0) {
    log('npm install failed: see the messages above (node-pty needs python3, make and g++)')
    process.exit(status)
  }
}

function ensureSystem(packages, { required }) {
  const manual = ensurePackages(packages, (m) => console.error(m))
  if (!manual) return
  const message = `missing Debian packages; install them with:\n  ${manual}`
  if (required) {
    log(message)
    process.exit(1)
  }
  log(`${message}\n  (the twin lab needs them; the real lab does not)`)
}

const tsx = join(root, 'node_modules', '.bin', 'tsx')
const vitest = join(root, 'node_modules', '.bin', 'vitest')

switch (command) {
  case 'learn':
  case 'instructor': {
    ensureNodeModules()
    ensureSystem(TWIN_PACKAGES, { required: false })
    // Node flags of the runner's process (runner/node-flags.json, also used by the image and bench/terminal's
    // runner): a 64 MB initial old generation. With V8's default the runner's small heap has less headroom than its
    // young generation grows to during a large output, so V8 would start a major GC about every 200 ms of it
    // (bench/results/decisions.md).
    const runnerNodeFlags = JSON.parse(readFileSync(join(root, 'runner', 'node-flags.json'), 'utf8'))
    process.exit(run(tsx, [...runnerNodeFlags, join(root, 'scripts', `${command}.ts`), ...args]))
    break
  }
  case 'setup': {
    // Everything learn and test need, installed up front (CI, or a classroom machine prepared before the workshop).
    ensureNodeModules()
    ensureSystem([...TWIN_PACKAGES, ...TEST_PACKAGES], { required: true })
    break
  }
  case 'test': {
    ensureNodeModules()
    ensureSystem([...TWIN_PACKAGES, ...TEST_PACKAGES], { required: true })
    process.exit(runTests(args))
    break
  }
  default:
    console.error('usage: node scripts/bootstrap.mjs learn|instructor|test|setup [args...]')
    process.exit(2)
}

/** Runs every vitest project, then prints one plain summary line (`N passed, N failed`) that any CI can read. */
function runTests(extra) {
  const dir = mkdtempSync(join(tmpdir(), 'lab-tests-'))
  const report = join(dir, 'report.json')
  try {
    const status = run(vitest, [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extra,
    ])
    if (existsSync(report)) {
      const r = JSON.parse(readFileSync(report, 'utf8'))
      console.log(
        `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
      )
    }
    return status
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
