/**
 * Who may open the lab socket. A local runner gives a root shell on the lab host, and browsers let any web page
 * open `ws://127.0.0.1:<port>` (WebSockets are not covered by the same-origin policy), so every upgrade is checked
 * BEFORE it is accepted: path, Host (against DNS rebinding), Origin (against cross-site hijacking) and the per-start
 * token (compared in constant time). Refusals carry a stable code.
 *
 * The token travels as a WebSocket subprotocol from storage of the page's own origin, never as a cookie: browsers
 * send a cookie of 127.0.0.1 to every port of it, so any other local server the learner's browser visits would
 * receive it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { hostname, networkInterfaces } from 'node:os'
import { requestTarget } from '../../http/request-target.ts'
import { LAB_TOKEN_PROTOCOL_PREFIX } from '../../protocol/messages.ts'

export type RefusalCode =
  | 'LAB_WS_NOT_FOUND'
  | 'LAB_WS_BAD_HOST'
  | 'LAB_WS_BAD_ORIGIN'
  | 'LAB_WS_NO_TOKEN'
  | 'LAB_WS_BAD_TOKEN'
  | 'LAB_HTTP_BAD_TARGET'
  | 'LAB_HTTP_BAD_METHOD'
  | 'LAB_HTTP_INTERNAL'

export interface Refusal {
  status: 400 | 401 | 403 | 404 | 405 | 500
  code: RefusalCode
  message: string
}

export interface AccessPolicy {
  path: string
  token: string
  /** `host:port` values accepted in the Host header (lowercase). */
  hosts: Set<string>
  /** Origins accepted (`http://host:port`). */
  origins: Set<string>
}

export function newToken(): string {
  return randomBytes(24).toString('hex')
}

/** Hosts and origins for a server on `port`: the loopback names, plus the bound host and any extra origins. */
export function accessPolicy(options: {
  path: string
  token: string
  port: number
  host: string
  extraOrigins?: string[]
}): AccessPolicy {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  // A wildcard bind is reached through any of the machine's addresses (and its name).
  const bound =
    options.host === '0.0.0.0' || options.host === '::'
      ? [hostname(), ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))]
      : [options.host]
  for (const host of bound) if (!isLoopback(host)) names.add(host.includes(':') ? `[${host}]` : host)
  const hosts = new Set([...names].map((n) => `${n}:${options.port}`.toLowerCase()))
  const origins = new Set([...hosts].map((h) => `http://${h}`))
  for (const origin of options.extraOrigins ?? []) {
    const url = new URL(origin)
    origins.add(url.origin.toLowerCase())
    hosts.add(url.host.toLowerCase())
  }
  return { path: options.path, token: options.token, hosts, origins }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

/** Null when the upgrade may proceed. */
export function checkUpgrade(request: IncomingMessage, policy: AccessPolicy): Refusal | null {
  const target = requestTarget(request.url)
  if (!target) return { status: 400, code: 'LAB_HTTP_BAD_TARGET', message: 'the request target is not a path' }
  if (target.pathname !== policy.path)
    return { status: 404, code: 'LAB_WS_NOT_FOUND', message: `no socket at ${target.pathname}` }
  const hostRefusal = checkHost(request, policy)
  if (hostRefusal) return hostRefusal
  const origin = request.headers.origin?.toLowerCase()
  if (!origin || !policy.origins.has(origin))
    return { status: 403, code: 'LAB_WS_BAD_ORIGIN', message: `origin ${origin ?? '(none)'} is not allowed` }
  const token = tokenOf(request)
  if (token === undefined)
    return {
      status: 401,
      code: 'LAB_WS_NO_TOKEN',
      message: 'no access token: open the link printed by `npm run learn`',
    }
  if (!sameToken(token, policy.token))
    return {
      status: 401,
      code: 'LAB_WS_BAD_TOKEN',
      message: 'wrong access token: open the link printed by `npm run learn`',
    }
  return null
}

export function checkHost(request: IncomingMessage, policy: AccessPolicy): Refusal | null {
  const host = request.headers.host?.toLowerCase()
  return host && policy.hosts.has(host)
    ? null
    : { status: 403, code: 'LAB_WS_BAD_HOST', message: `host ${host ?? '(none)'} is not allowed` }
}

/** The token from a `lab-token.<token>` subprotocol (the page sends it from its origin's storage). */
function tokenOf(request: IncomingMessage): string | undefined {
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  return protocols.find((p) => p.startsWith(LAB_TOKEN_PROTOCOL_PREFIX))?.slice(LAB_TOKEN_PROTOCOL_PREFIX.length)
}

/** Constant time whatever the lengths: compare digests. */
export function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(expected))
}
