import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestTarget } from './request-target.ts'
import { serveStatic } from './static-site.ts'

let dir: string
let server: Server
let base: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'static-site-'))
  const site = join(dir, 'site')
  mkdirSync(join(site, 'guide'), { recursive: true })
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>course</title>')
  writeFileSync(join(site, '404.html'), '<!doctype html><title>404</title>')
  writeFileSync(join(site, 'guide', 'intro.html'), '<!doctype html><title>intro</title>')
  writeFileSync(join(dir, 'secret.txt'), 'outside the build')
  mkdirSync(join(dir, 'private'))
  writeFileSync(join(dir, 'private', 'key.html'), 'outside the build too')
  // Links inside the build: to a file outside it, to a folder outside it, and to a page inside it.
  symlinkSync(join(dir, 'secret.txt'), join(site, 'leak.txt'))
  symlinkSync(join(dir, 'private'), join(site, 'private'))
  symlinkSync(join(site, 'guide', 'intro.html'), join(site, 'start.html'))
  server = createServer((request, response) => serveStatic(site, requestTarget(request.url)!.pathname, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

describe('the static site', () => {
  it('serves no file whose real path is outside the build, through a link to a file or a folder', async () => {
    for (const path of ['/leak.txt', '/private/key.html', '/private/key', '/private/']) {
      const response = await fetch(`${base}${path}`)
      expect({ path, status: response.status, body: await response.text() }).toEqual({
        path,
        status: 404,
        body: '<!doctype html><title>404</title>',
      })
    }
  })

  it('serves a link that stays inside the build, and pages by their clean URL', async () => {
    expect(await (await fetch(`${base}/start`)).text()).toBe('<!doctype html><title>intro</title>')
    expect(await (await fetch(`${base}/guide/intro`)).text()).toBe('<!doctype html><title>intro</title>')
  })
})
