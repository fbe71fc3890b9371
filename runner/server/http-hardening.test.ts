/**
 * Requests a hostile page or local process can send to the runner before any token check: odd targets (`//`, `*`,
 * absolute URLs), methods, Host, Origin and Cookie headers, upgrades on every path. None may take the runner down;
 * the answers carry the framing and script policy; a page of another origin cannot frame the course.
 */

import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { fixture } from '../../support/fixture-site.ts'
import { loadCourse } from '../../toolchain/course/load-course.ts'
import { createRunner, type Runner } from '../runner.ts'

const INLINE = "document.documentElement.dataset.ready='1'"
let runner: Runner
let lab: FixtureLab
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-http-'))
  const site = join(dir, 'site')
  mkdirSync(join(site, 'assets'), { recursive: true })
  writeFileSync(
    join(site, 'index.html'),
    `<!doctype html><html><head><script>${INLINE}</script><script type="module" src="/assets/app.js"></script></head><body>course</body></html>`,
  )
  writeFileSync(join(site, '404.html'), '<!doctype html><title>404</title>')
  writeFileSync(join(site, 'assets', 'app.js'), 'export {}')
  lab = new FixtureLab()
  await lab.up()
  runner = await createRunner({
    lab,
    course: loadCourse(fixture.stepsDir).course,
    stateDir: join(dir, 'state'),
    siteDir: site,
  })
})

afterAll(async () => {
  await runner?.close()
  await lab?.down()
  rmSync(dir, { recursive: true, force: true })
})

/** Sends raw bytes and resolves with what the server answered (its status line) or how the connection ended. */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: runner.port })
    let answer = ''
    socket.setTimeout(3000, () => socket.destroy())
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
      if (answer.includes('\r\n\r\n')) socket.destroy()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(answer.split('\r\n')[0] || '(closed)'))
    socket.end(bytes)
  })
}

const host = () => `127.0.0.1:${runner.port}`
const upgradeHeaders =
  'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: lab.v1\r\n'

describe('request targets that used to throw', () => {
  it('answers GET // as the site root and keeps serving', async () => {
    expect(await raw(`GET // HTTP/1.1\r\nHost: ${host()}\r\n\r\n`)).toBe('HTTP/1.1 200 OK')
    expect(await raw(`GET * HTTP/1.1\r\nHost: ${host()}\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request')
    expect(await raw(`GET / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`)).toBe('HTTP/1.1 200 OK')
  })

  it('refuses an upgrade on // and keeps serving', async () => {
    expect(await raw(`GET // HTTP/1.1\r\nHost: ${host()}\r\nOrigin: http://${host()}\r\n${upgradeHeaders}\r\n`)).toBe(
      'HTTP/1.1 404 LAB_WS_NOT_FOUND',
    )
    expect(await raw(`GET * HTTP/1.1\r\nHost: ${host()}\r\nOrigin: http://${host()}\r\n${upgradeHeaders}\r\n`)).toBe(
      'HTTP/1.1 400 LAB_HTTP_BAD_TARGET',
    )
    expect(
      await raw(`GET //__lab/ws HTTP/1.1\r\nHost: ${host()}\r\nOrigin: http://${host()}\r\n${upgradeHeaders}\r\n`),
    ).toMatch(/^HTTP\/1.1 40\d /)
    expect(await raw(`GET / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`)).toBe('HTTP/1.1 200 OK')
  })
})

describe('fuzzed requests', () => {
  // A fixed seed: a failure names the request that caused it, and the next run sends the same ones.
  let seed = 20261203
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const targets = [
    '//',
    '///',
    '//evil.example/',
    '//:0',
    '*',
    'http://evil.example/',
    '/%',
    '/%zz',
    '/%00',
    '/..%2f..%2fetc%2fpasswd',
    '/../../etc/passwd',
    '/?token=',
    '/?token=%',
    '/__lab/ws',
    '//__lab/ws',
    '/__lab/ws?x=%ff',
    '/\\\\evil',
    '/@evil:1',
    '/a?b#c',
    `/${'a'.repeat(8000)}`,
    '/zh/',
    '/assets/app.js',
  ]
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'BREW']
  const hosts = () => [
    host(),
    '',
    'evil.example',
    `localhost:${runner.port}`,
    '[::1]',
    `127.0.0.1:${runner.port}:1`,
    '%',
    'a'.repeat(3000),
  ]
  const origins = () => [
    undefined,
    'null',
    'http://evil.example',
    `http://${host()}`,
    '%',
    'javascript:alert(1)',
    `http://${host()}@evil.example`,
  ]
  const extras = [
    'Cookie: lab_token_1=x; =; ;;',
    'Cookie: %',
    'Sec-WebSocket-Protocol: lab.v1, lab-token.',
    'Sec-WebSocket-Protocol: ,,,',
    'Sec-WebSocket-Version: 99',
    'Sec-WebSocket-Key: !',
    'Content-Length: 5',
    'Transfer-Encoding: chunked',
    'Expect: 100-continue',
    'X-Forwarded-Host: evil.example',
  ]

  it('survives 3000 of them and still accepts a good client', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) {
      const lines = [`${pick(methods)} ${pick(targets)} HTTP/1.1`]
      const h = pick(hosts())
      if (h || random() < 0.5) lines.push(`Host: ${h}`)
      const origin = pick(origins())
      if (origin !== undefined) lines.push(`Origin: ${origin}`)
      if (random() < 0.5) lines.push(upgradeHeaders.trim())
      for (let n = Math.floor(random() * 3); n > 0; n--) lines.push(pick(extras))
      const answer = await raw(`${lines.join('\r\n')}\r\n\r\n${random() < 0.2 ? 'hello' : ''}`)
      seen.add(answer.split(' ')[1] ?? answer)
    }
    // Refusals of every kind, and never an answer that gave a socket to a request without a token.
    expect([...seen].filter((status) => /^\d+$/.test(status)).every((status) => status !== '101')).toBe(true)
    expect(seen.has('400')).toBe(true)
    expect(seen.has('403')).toBe(true)
    const good = `GET /__lab/ws HTTP/1.1\r\nHost: ${host()}\r\nOrigin: http://${host()}\r\n${upgradeHeaders.replace('lab.v1', `lab.v1, lab-token.${runner.token}`)}\r\n`
    expect(await raw(good)).toBe('HTTP/1.1 101 Switching Protocols')
  })
})

describe('framing and scripts', () => {
  async function headers(path: string): Promise<Headers> {
    return (await fetch(`http://${host()}${path}`)).headers
  }

  it('forbids framing on pages, assets and refusals', async () => {
    for (const path of ['/', '/assets/app.js', '/missing', `/?token=${'0'.repeat(48)}`]) {
      const h = await headers(path)
      expect(h.get('x-frame-options'), path).toBe('DENY')
      expect(h.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(h.get('referrer-policy'), path).toBe('no-referrer')
    }
  })

  it("allows the page's own inline scripts by hash and no others", async () => {
    const policy = (await headers('/')).get('content-security-policy')!
    const hash = createHash('sha256').update(INLINE).digest('base64')
    const scriptSrc = policy.split('; ').find((d) => d.startsWith('script-src'))
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${hash}'`)
    expect(policy).not.toContain('unsafe-eval')
  })
})
