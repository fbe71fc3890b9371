// Debian packages the project needs, checked and installed before anything that uses them runs.
// Plain JavaScript on purpose: it runs before `npm ci`, when tsx is not there yet.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

/**
 * The twin lab: real routing daemons, the kernel data plane tools, and what learners type in the lab. The list is the
 * one the twin's preflight checks at `up` (lab/twin/required-packages.json), so setup installs exactly that.
 */
export const TWIN_PACKAGES = JSON.parse(
  readFileSync(new URL('../lab/twin/required-packages.json', import.meta.url), 'utf8'),
).map((p) => p.pkg)
/** Tests: Debian's Chromium for the browser tests (a test tool never downloads a browser of its own), pgrep and ps. */
export const TEST_PACKAGES = ['chromium', 'procps']

export function missingPackages(names) {
  return names.filter((name) => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format string, not a template literal
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' })
    return r.status !== 0 || !r.stdout.includes('install ok installed')
  })
}

/**
 * Installs `names` with apt-get when running as root, and says what it does. Returns the command the user must run
 * when it cannot install them itself (not root, no apt), or null when everything is there.
 */
export function ensurePackages(names, log = console.error) {
  const missing = missingPackages(names)
  if (missing.length === 0) return null
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`
  const isRoot = process.getuid?.() === 0
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return `sudo sh -c '${command}'`
  log(`[setup] installing Debian packages: ${missing.join(', ')} (about 15 s)`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  })
  stopPackagedDaemons(missing, log)
  return null
}

/**
 * On a systemd machine the frr and gobgpd packages start daemons in the machine's own network namespace. The lab never
 * uses them (each lab router runs its own instances) and they would hold port 179: stop the ones this setup just
 * installed, and leave alone any that were there before.
 */
function stopPackagedDaemons(installed, log) {
  if (!existsSync('/run/systemd/system')) return
  for (const unit of ['frr', 'gobgpd'].filter((u) => installed.includes(u))) {
    log(`[setup] disabling the ${unit} service the package started (the lab runs its own instances)`)
    spawnSync('systemctl', ['disable', '--now', unit], { stdio: 'ignore' })
  }
}
