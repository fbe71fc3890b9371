import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, expect, it } from 'vitest'

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const script = `
import { parseCli } from ${JSON.stringify(join(import.meta.dirname, 'parse-cli.ts'))}
const values = parseCli({ command: 'npm run demo --', summary: 'A demo.' }, {
  port: { type: 'string', value: '<n>', default: '4242', description: 'port to listen on' },
  open: { type: 'boolean', default: true, description: 'do not open a browser' },
  origin: { type: 'string', value: '<url>', multiple: true, description: 'extra origin' },
})
console.log(JSON.stringify(values))
`
const dir = mkdtempSync(join(tmpdir(), 'parse-cli-'))
const file = join(dir, 'demo.ts')
writeFileSync(file, script)
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', tsx, file, ...args], { encoding: 'utf8' })

it('lists every option with its default for --help, and exits 0', () => {
  const result = run('--help')
  expect(result.status).toBe(0)
  expect(result.stdout).toContain('Usage: npm run demo -- [options]')
  expect(result.stdout).toMatch(/--port <n>\s+port to listen on \(default: 4242\)/)
  expect(result.stdout).toMatch(/--no-open\s+do not open a browser\n/)
  expect(result.stdout).toMatch(/--origin <url>\s+extra origin\n/)
  expect(result.stdout).toMatch(/-h, --help\s+show this help and exit/)
})

it('answers an unknown option with one line and the usage, exit 2, no stack trace', () => {
  const result = run('--prot', '1')
  expect(result.status).toBe(2)
  expect(result.stderr.split('\n')[0]).toBe("npm run demo --: Unknown option '--prot'")
  expect(result.stderr).toContain('Usage: npm run demo -- [options]')
  expect(result.stderr).not.toMatch(/at .*\.js:\d+/)
})

it('parses what it knows', () => {
  const result = run('--port', '5000', '--no-open', '--origin', 'http://a', '--origin', 'http://b')
  expect(result.status).toBe(0)
  expect(JSON.parse(result.stdout)).toEqual({ port: '5000', open: false, origin: ['http://a', 'http://b'] })
})
