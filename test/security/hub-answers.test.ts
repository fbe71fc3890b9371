/**
 * Every answer of the hub carries the site's policy, its refusals and the join route's JSON too, as the runner's do
 * (runner/server/http-hardening.test.ts): no page of another origin frames it, no browser sniffs a type into it, and
 * no referrer leaves it.
 */
import { type IncomingMessage, request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { hubPaths } from '../../protocol/hub.ts'
import { useHub } from '../../support/hub-clients.ts'

const ctx = useHub({ chapters: [{ id: 'lab-setup', order: 1, title: 'Lab setup' }] })

/** One request with exactly these headers (fetch would not send another Host). */
function answer(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<IncomingMessage> {
  const { port } = new URL(ctx.hub.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => resolve(res.resume()))
    req.on('error', reject)
    req.end(body)
  })
}

describe('the hub', () => {
  it('sends its policy with every answer, refusals included', async () => {
    const answers = [
      await answer('GET', '/'),
      await answer('PUT', '/'),
      await answer('GET', '/', { host: 'evil.example' }),
      await answer('GET', '*'),
      await answer('POST', hubPaths.join, { 'content-type': 'application/json' }, '{}'),
    ]
    expect(answers.map((a) => a.statusCode)).toEqual([404, 405, 403, 400, 404])
    for (const { headers } of answers) {
      expect(headers['x-frame-options']).toBe('DENY')
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(headers['x-content-type-options']).toBe('nosniff')
      expect(headers['referrer-policy']).toBe('no-referrer')
    }
  })
})
