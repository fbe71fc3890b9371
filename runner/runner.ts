/**
 * The learning runtime in one process: the built site and the lab socket on one origin, one learner's terminals,
 * steps, checks, progress and gates, and the hooks an instructor hub composes on (observers, pace, notifications,
 * terminal mirroring, solution reveal). Scripts compose it with a lab backend; it never imports a backend's internals.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { capConnections } from '../http/connection-cap.ts'
import { requestTarget } from '../http/request-target.ts'
import { securityHeaders, serveStatic } from '../http/static-site.ts'
import type { LabBackend } from '../lab/backend.ts'
import type { Course } from '../protocol/course.ts'
import type { LearnerEvent } from '../protocol/learner-event.ts'
import { LAB_WS_PATH, LAB_WS_PROTOCOL, type LabStatusView, type Notification } from '../protocol/messages.ts'
import type { LearnerObserver, RunnerHooks } from '../protocol/runner-hooks.ts'
import { Learner } from './learner.ts'
import { ClientConnection } from './server/client-connection.ts'
import {
  accessPolicy,
  checkHost,
  checkUpgrade,
  isLoopback,
  newToken,
  type Refusal,
  sameToken,
} from './server/security.ts'
import { writeShellRc } from './terminal/shell-rc.ts'

export interface RunnerOptions {
  lab: LabBackend
  course: Course
  /** State directory: progress and the shell-integration rc live here. */
  stateDir: string
  /** The built site to serve (`.vitepress/dist`); omit when a dev server serves pages and proxies the socket. */
  siteDir?: string
  /** Interface to bind. @default '127.0.0.1' */
  host?: string
  /** Port; 0 picks a free one. @default 0 */
  port?: number
  /** When the port is busy, try up to this many following ports. @default 0 */
  portAttempts?: number
  /** Fixed access token (tests); a random one per start otherwise. */
  token?: string
  /** More origins allowed on the socket, e.g. the dev server `http://localhost:5173`. */
  extraOrigins?: string[]
  /**
   * Sockets held at once (HTTP and lab sockets); past it a new one closes the oldest socket that holds no lab
   * socket yet (http/connection-cap.ts), or is itself closed when every place is a lab socket. A browser holds one
   * per tab plus a few for pages. Without a cap, any local process could hold sockets until the process had no
   * file descriptor left, and then the next save of a terminal's output threw and ended the runner. @default 128
   */
  maxConnections?: number
}

export interface Runner extends RunnerHooks {
  /** Base URL without the token. */
  url: string
  /** URL with the token, to open in a browser (the page moves it into this origin's storage). */
  openUrl: string
  token: string
  port: number
  /** The notification as the learner's pages show it. */
  notify(notification: { kind: 'broadcast' | 'hint'; text: string; from?: string }): Notification
  close(): Promise<void>
}

export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? newToken()
  const observers = new Set<LearnerObserver>()
  const emit = (event: LearnerEvent) => {
    for (const observer of observers) {
      try {
        observer.onEvent(event)
      } catch (error) {
        console.error('lab runner: an observer failed:', error)
      }
    }
  }
  let progressLine: string | undefined
  const labView = (): LabStatusView => {
    const status = options.lab.status()
    return {
      kind: status.kind,
      state: status.state,
      reason: status.reason,
      progress: status.state === 'starting' ? progressLine : undefined,
    }
  }
  const learner = new Learner({
    course: options.course,
    lab: options.lab,
    progressDir: join(options.stateDir, 'local'),
    rcFile: writeShellRc(options.stateDir),
    labStatus: labView,
    emit,
  })
  const offLab = [
    options.lab.on('status', (status) => {
      learner.broadcast({ type: 'lab-status', lab: labView() })
      emit({
        type: 'lab-status',
        at: Date.now(),
        chapterId: learner.store.progress.currentChapter ?? '',
        state: status.state,
        reason: status.reason,
      })
    }),
    options.lab.on('progress', (progress) => {
      progressLine = progress.message
      learner.broadcast({ type: 'lab-status', lab: labView() })
    }),
  ]

  const server = createServer()
  const cap = capConnections(server, options.maxConnections ?? 128)
  const port = await listen(server, host, options.port ?? 0, options.portAttempts ?? 0)
  const policy = accessPolicy({ path: LAB_WS_PATH, token, port, host, extraOrigins: options.extraOrigins })
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has(LAB_WS_PROTOCOL) ? LAB_WS_PROTOCOL : false),
  })

  server.on('request', (request, response) => {
    try {
      handleRequest(request, response)
    } catch (error) {
      // Nothing a request carries may take the runner (and the learner's terminals) down.
      console.error('lab runner: request failed:', error)
      if (!response.headersSent)
        refuseHttp(response, {
          status: 500,
          code: 'LAB_HTTP_INTERNAL',
          message: 'the runner could not answer this request',
        })
      else response.destroy()
    }
  })
  const handleRequest = (request: IncomingMessage, response: ServerResponse) => {
    const refusal = checkHost(request, policy)
    if (refusal) return refuseHttp(response, refusal)
    const target = requestTarget(request.url)
    if (!target)
      return refuseHttp(response, {
        status: 400,
        code: 'LAB_HTTP_BAD_TARGET',
        message: 'the request target is not a path',
      })
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuseHttp(response, {
        status: 405,
        code: 'LAB_HTTP_BAD_METHOD',
        message: `${request.method} is not served here`,
      })
    const given = target.searchParams.get('token')
    // The printed link carries the token once; the page moves it into storage of this origin alone (scheme, host
    // and port: a page or server on another port of 127.0.0.1 never sees it, unlike a cookie) and off the address
    // bar. A wrong one is refused here, so a stale link says why instead of opening a page that cannot connect.
    if (given !== null && !sameToken(given, token))
      return refuseHttp(response, {
        status: 401,
        code: 'LAB_WS_BAD_TOKEN',
        message: 'wrong access token: open the link printed by `npm run learn`',
      })
    if (!options.siteDir)
      return refuseHttp(response, {
        status: 404,
        code: 'LAB_WS_NOT_FOUND',
        message: 'this runner serves only the lab socket',
      })
    serveStatic(options.siteDir, target.pathname, response)
  }

  server.on('upgrade', (request, socket, head) => {
    // A socket error (a reset mid-handshake) must not be thrown on the server.
    socket.on('error', () => undefined)
    try {
      const refusal = checkUpgrade(request, policy)
      if (refusal) {
        socket.end(
          `HTTP/1.1 ${refusal.status} ${refusal.code}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.code}: ${refusal.message}\n`,
        )
        return
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        cap.trust(socket as Socket)
        new ClientConnection(ws, learner)
      })
    } catch (error) {
      console.error('lab runner: upgrade failed:', error)
      socket.destroy()
    }
  })

  const shownHost = isLoopback(host)
    ? '127.0.0.1'
    : host === '0.0.0.0' || host === '::'
      ? hostname()
      : host.includes(':')
        ? `[${host}]`
        : host
  const url = `http://${shownHost}:${port}/`
  return {
    url,
    openUrl: `${url}?token=${token}`,
    token,
    port,
    addObserver(observer) {
      observers.add(observer)
      return () => observers.delete(observer)
    },
    setPace: (limit) => learner.setPace(limit),
    notify: (notification) => learner.notify(notification),
    mirrorTerminal(terminalId, listener) {
      let session: ReturnType<typeof learner.terminal>
      try {
        session = learner.terminal(terminalId)
      } catch {
        // No lab yet (or no such terminal): nothing to mirror.
        return () => undefined
      }
      const replay = session.replay(0)
      if (replay.data.length > 0) listener(replay.data)
      return session.onOutput((_seq, data) => listener(data))
    },
    revealSolution: (chapterId) => learner.revealSolution(chapterId),
    setWorkshop: (joined) => learner.setWorkshop(joined),
    completedChapters: () =>
      Object.entries(learner.store.progress.chapters)
        .filter(([, state]) => state.completed)
        .map(([id]) => id),
    async close() {
      offLab.forEach((off) => off())
      for (const client of wss.clients) client.terminate()
      wss.close()
      await learner.dispose()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function refuseHttp(response: ServerResponse, refusal: Refusal): void {
  response.writeHead(refusal.status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' })
  response.end(`${refusal.code}: ${refusal.message}\n`)
}

async function listen(server: Server, host: string, port: number, attempts: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port === 0 ? 0 : port + attempt, host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      const address = server.address()
      return typeof address === 'object' && address ? address.port : port
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= attempts || port === 0) throw error
    }
  }
}
