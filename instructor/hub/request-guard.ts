/**
 * Checks made on every HTTP request and upgrade before anything else: the Host header (a page on another site that
 * rebinds its DNS name to 127.0.0.1 sends its own name, not ours) and, for browser roles, the Origin.
 */
import type { IncomingMessage } from 'node:http'

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.startsWith('127.')
}

function hostnameOf(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]
}

export interface GuardOptions {
  /** True when the hub listens on loopback only: then only loopback names are valid Host headers. */
  loopbackOnly: boolean
  /** Extra origins allowed to open browser sockets (e.g. `http://localhost:5173` for `vitepress dev`). */
  allowOrigins: string[]
}

/** Returns why the request is refused (status + reason), or undefined when it may proceed. */
export function guardRequest(
  req: IncomingMessage,
  options: GuardOptions,
  browserRole: boolean,
): { status: number; reason: string } | undefined {
  const host = req.headers.host ?? ''
  if (options.loopbackOnly && !isLoopbackHost(hostnameOf(host))) {
    return { status: 403, reason: `HUB_BAD_HOST: ${host || '(none)'} is not a loopback name` }
  }
  const origin = req.headers.origin
  if (browserRole && origin === 'null')
    return {
      status: 403,
      reason: 'HUB_BAD_ORIGIN: an opaque origin (a sandboxed frame, a file or data page) may not open this socket',
    }
  if (browserRole && origin !== undefined) {
    let originHost = ''
    try {
      originHost = new URL(origin).host
    } catch {
      return { status: 403, reason: 'HUB_BAD_ORIGIN: unparsable Origin' }
    }
    if (originHost !== host && !options.allowOrigins.includes(origin)) {
      return { status: 403, reason: `HUB_BAD_ORIGIN: ${origin} may not open this socket` }
    }
  }
  return undefined
}
