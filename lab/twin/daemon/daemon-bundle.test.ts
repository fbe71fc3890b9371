import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { daemonBundle } from './daemon-bundle.ts'

let cache: string
beforeEach(() => void (cache = mkdtempSync(join(tmpdir(), 'daemon-bundle-'))))
afterEach(() => rmSync(cache, { recursive: true, force: true }))

const manifest = () =>
  JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as { bundle: string; inputs: Record<string, string> }

describe('daemonBundle', () => {
  it('bundles the daemon with each module keeping its own import.meta.url, and records every input', async () => {
    const bundle = await daemonBundle(cache)
    const code = readFileSync(bundle, 'utf8')
    expect(code).not.toContain('import.meta.url')
    expect(code).toContain(JSON.stringify(pathToFileURL(join(import.meta.dirname, 'shims.ts')).href))
    // Packages stay imports resolved from node_modules, not copies inside the bundle.
    expect(code).toMatch(/from "execa"/)
    expect(Object.keys(manifest().inputs)).toEqual(
      expect.arrayContaining(['lab/twin/daemon/main.ts', 'lab/twin/daemon/shims.ts', 'lab/twin/kubectl/kubectl.ts']),
    )
  })

  it('reuses the bundle while no input changed and rebuilds when one did', async () => {
    const first = await daemonBundle(cache)
    const built = statSync(first).mtimeMs
    expect(await daemonBundle(cache)).toBe(first)
    expect(statSync(first).mtimeMs).toBe(built)
    // The manifest says main.ts had other content: the cache is stale.
    const stale = manifest()
    stale.inputs['lab/twin/daemon/main.ts'] = '0'.repeat(64)
    writeFileSync(join(cache, 'manifest.json'), JSON.stringify(stale))
    const old = new Date(Date.now() - 3600_000)
    utimesSync(first, old, old)
    expect(await daemonBundle(cache)).toBe(first)
    expect(statSync(first).mtimeMs).toBeGreaterThan(old.getTime())
    expect(manifest().inputs['lab/twin/daemon/main.ts']).not.toBe('0'.repeat(64))
  })

  it('removes bundles of older sources', async () => {
    const old = join(cache, 'daemon-0123456789abcdef.mjs')
    writeFileSync(old, '')
    const then = new Date(Date.now() - 3600_000)
    utimesSync(old, then, then)
    await daemonBundle(cache)
    expect(() => statSync(old)).toThrow()
  })
})
