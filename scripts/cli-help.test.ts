/** The start scripts as a person calls them: `--help` and a mistyped option, for learn and instructor alike. */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', tsx, join(import.meta.dirname, script), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  })

describe.each([
  [
    'learn.ts',
    'npm run learn --',
    [
      '--port <n>',
      '--host <addr>',
      '--no-open',
      '--origin <url>',
      '--lab auto|twin|real',
      '--state-dir <dir>',
      '--join <link>',
    ],
  ],
  [
    'instructor.ts',
    'npm run instructor --',
    [
      '--port <n>',
      '--host <addr>',
      '--no-open',
      '--origin <url>',
      '--no-hosted',
      '--lab-memory-mib <n>',
      '--no-presenter',
    ],
  ],
])('%s', (script, command, options) => {
  it('lists every option for --help and exits 0', () => {
    const result = run(script, '--help')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(`Usage: ${command} [options]`)
    for (const option of options) expect(result.stdout).toContain(option)
  })

  it('answers a mistyped option with one line and the usage, exit 2', () => {
    const result = run(script, '--no-open', '--prot', '1')
    expect(result.status).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe(`${command}: Unknown option '--prot'`)
    expect(result.stderr).toContain(`Usage: ${command} [options]`)
  })
})
