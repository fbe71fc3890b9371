/**
 * The workshop hub: one HTTP server with the built site, the hosted-join route, and three WebSocket roles on their
 * own paths (runner, dashboard, follower). Listens on loopback unless told otherwise, and then says so loudly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { resolve } from 'node:path'
import { type WebSocket, WebSocketServer } from 'ws'
import { capConnections } from '../../http/connection-cap.ts'
import { requestTarget } from '../../http/request-target.ts'
import { securityHeaders, serveStatic } from '../../http/static-site.ts'
import { HUB_MAX_MESSAGE_BYTES, hubPaths } from '../../protocol/hub.ts'
import type { PresenterTerminal } from '../presenter-terminal.ts'
import type { HubChapter } from './course-outline.ts'
import { handleDashboard } from './dashboard-link.ts'
import { handleFollower } from './follow-link.ts'
import { type HostedLabs, handleHostedJoin } from './hosted-join-route.ts'
import { HubCore, type HubCoreOptions } from './hub-core.ts'
import { guardRequest, isLoopbackHost } from './request-guard.ts'
import { handleRunner } from './runner-link.ts'
import { newInstructorSecret, newWorkshopCode } from './secrets.ts'
import { WorkshopCode } from './workshop-code.ts'

/** Headers of the hub's own answers: the site's policy (no framing, no sniffing, no referrer), as its pages have. */
const PLAIN = { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' }

export interface HubOptions
  extends Pick<HubCoreOptions, 'maxLearners' | 'maxLearnersPerAddress' | 'uncappedAddresses'> {
  /** [host='127.0.0.1'] Interface to listen on. Anything but loopback prints a warning. */
  host?: string
  /** [port=0] 0 picks a free port. */
  port?: number
  /** The course's chapters (`hubChapters(course)`): pacing, the overview, and the rules events are held to. */
  chapters: HubChapter[]
  /** [stuckAfterMs=300000] */
  stuckAfterMs?: number
  /** [stuckFailures=3] */
  stuckFailures?: number
  /** [flushMs=200] Coalescing window of dashboard pushes. */
  flushMs?: number
  /** Built site to serve (the dashboard page lives there); nothing is served when absent. */
  siteDir?: string
  /** [pagePath='/instructor'] Where the dashboard page is, for the printed links. */
  pagePath?: string
  /** Origins besides the hub's own allowed to open browser sockets (a `vitepress dev` server). */
  allowOrigins?: string[]
  /**
   * [maxConnections=1024] Sockets held at once (pages, runners, dashboards, followers: about five per learner of a
   * full class); past it a new one closes an unauthenticated socket of the address holding the most
   * (http/connection-cap.ts), or is itself closed when every place is authenticated. Without a cap, anyone who reaches the hub could hold
   * sockets until the process, its hosted labs' runners included, had no file descriptor left.
   */
  maxConnections?: number
  /** Fixed secrets (tests, benchmarks); fresh random ones by default. */
  instructorSecret?: string
  workshopCode?: string
  presenter?: PresenterTerminal
  /** [warn=console.warn] */
  warn?: (line: string) => void
}

export interface Hub {
  /** `http://host:port` of the hub. */
  url: string
  instructorSecret: string
  workshopCode: string
  /** The dashboard page with the instructor secret in the fragment (fragments never reach servers or logs). */
  dashboardLink: string
  /** The class join page with the workshop code. */
  joinLink: string
  core: HubCore
  /** Turns on hosted labs (the manager needs the hub's URL, so it is attached after start). */
  setHosted(hosted: HostedLabs): void
  close(): Promise<void>
}

/** A pinned code shorter than this gets a warning on a hub others can reach (a generated one has 11 characters). */
const SHORT_CODE = 8

export async function createHub(options: HubOptions): Promise<Hub> {
  const host = options.host ?? '127.0.0.1'
  const loopbackOnly = isLoopbackHost(host)
  const instructorSecret = options.instructorSecret ?? newInstructorSecret()
  const workshopCode = new WorkshopCode(options.workshopCode ?? newWorkshopCode())
  const guard = { loopbackOnly, allowOrigins: options.allowOrigins ?? [] }
  const core = new HubCore(options)
  const siteDir = options.siteDir && resolve(options.siteDir)
  let hosted: HostedLabs | undefined

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    const refused = guardRequest(req, guard, true)
    if (refused) return void res.writeHead(refused.status, PLAIN).end(refused.reason)
    const target = requestTarget(req.url)
    if (!target) return void res.writeHead(400, PLAIN).end('HUB_BAD_TARGET: the request target is not a path')
    const path = target.pathname
    if (path === hubPaths.join && req.method === 'POST') {
      return void handleHostedJoin(req, res, workshopCode, hosted, core).catch(() => res.destroy())
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, PLAIN).end()
    if (!siteDir) return void res.writeHead(404, PLAIN).end('site not built: run npm run build')
    serveStatic(siteDir, path, res)
  }
  const server = createServer((req, res) => {
    try {
      handleRequest(req, res)
    } catch (error) {
      // Nothing a request carries may take the hub, and with it the whole class, down.
      console.error('hub: request failed:', error)
      if (res.headersSent) res.destroy()
      else res.writeHead(500, PLAIN).end('HUB_INTERNAL: the hub could not answer this request')
    }
  })
  const cap = capConnections(server, options.maxConnections ?? 1024)
  const wss = new WebSocketServer({ noServer: true, maxPayload: HUB_MAX_MESSAGE_BYTES, perMessageDeflate: false })
  /** Each role calls `authenticated` once its socket proved its credentials: past the cap it then keeps its place. */
  const roles: Record<string, (ws: WebSocket, address: string, authenticated: () => void) => void> = {
    [hubPaths.runner]: (ws, address, authenticated) => handleRunner(core, ws, { workshopCode, address, authenticated }),
    [hubPaths.dashboard]: (ws, _address, authenticated) =>
      handleDashboard(core, ws, { instructorSecret, presenter: options.presenter, authenticated }),
    [hubPaths.follow]: (ws, address, authenticated) =>
      handleFollower(core, ws, { workshopCode, address, presenter: options.presenter, authenticated }),
  }
  const refuseUpgrade = (socket: Socket, status: number, reason: string) =>
    socket.end(`HTTP/1.1 ${status} Refused\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${reason}`)
  const handleUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = requestTarget(req.url)?.pathname
    if (path === undefined) return refuseUpgrade(socket, 400, 'HUB_BAD_TARGET: the request target is not a path')
    const role = Object.hasOwn(roles, path) ? roles[path] : undefined
    if (!role) return refuseUpgrade(socket, 404, 'no socket here')
    const refused = guardRequest(req, guard, path !== hubPaths.runner)
    if (refused) return refuseUpgrade(socket, refused.status, refused.reason)
    const address = req.socket.remoteAddress ?? ''
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws reports an oversized or invalid frame as an 'error' and then closes that socket (1009/1002); without a
      // listener the error would be thrown and take the whole hub down.
      ws.on('error', () => undefined)
      role(ws, address, () => cap.trust(socket))
    })
  }
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // A reset mid-handshake is an 'error' on the socket, thrown on the server without a listener.
    socket.on('error', () => undefined)
    try {
      handleUpgrade(req, socket, head)
    } catch (error) {
      console.error('hub: upgrade failed:', error)
      refuseUpgrade(socket, 500, 'HUB_INTERNAL: the hub could not answer this request')
    }
  })
  // The hub is no proxy: say so, rather than let Node drop the connection without an answer.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => undefined)
    refuseUpgrade(socket, 405, 'HUB_BAD_METHOD: CONNECT is not served here')
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  const url = `http://${shownHost}:${port}`
  if (!loopbackOnly) {
    const warn = options.warn ?? console.warn
    warn(
      [
        `!!! WARNING: the hub listens on ${host}, not only on this machine.`,
        '!!! Anyone who can reach this address can try the workshop code; keep the dashboard link private,',
        '!!! use it only on a network you trust, and stop the hub when the workshop ends.',
        ...(workshopCode.value.length < SHORT_CODE
          ? [
              `!!! The workshop code has ${workshopCode.value.length} characters: an address may try 30 codes a minute, so a`,
              '!!! short code falls to a patient guesser; leave WORKSHOP_CODE unset for a generated 10-symbol one.',
            ]
          : []),
      ].join('\n'),
    )
  }
  const pagePath = options.pagePath ?? '/instructor'
  return {
    url,
    instructorSecret,
    workshopCode: workshopCode.value,
    dashboardLink: `${url}${pagePath}#secret=${encodeURIComponent(instructorSecret)}`,
    joinLink: `${url}${pagePath}#code=${encodeURIComponent(workshopCode.value)}`,
    core,
    setHosted(h) {
      hosted = h
      core.hosted = h
    },
    async close() {
      core.close()
      for (const ws of wss.clients) ws.terminate()
      await hosted?.close()
      options.presenter?.close()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}
