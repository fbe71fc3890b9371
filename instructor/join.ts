/**
 * The learner's side of a workshop: an outbound WebSocket from the learner's runner to the hub. It streams the
 * runner's progress events (buffered while disconnected), applies the instructor's pace, notices, reveals and mirror
 * requests through the runner's hooks, and reconnects with backoff, resuming the same row with its learner token.
 */
import WebSocket from 'ws'
import {
  HUB_MAX_CHUNK_CHARS,
  type HubToRunner,
  hubCloseCodes,
  hubPaths,
  hubToRunnerSchema,
  type RunnerToHub,
} from '../protocol/hub.ts'
import type { LearnerEvent } from '../protocol/learner-event.ts'
import type { RunnerHooks } from '../protocol/runner-hooks.ts'
import { MirrorBatcher } from './mirror-batcher.ts'

export type JoinState = 'connecting' | 'joined' | 'disconnected' | 'removed' | 'refused' | 'closed'

export interface JoinOptions {
  /** The hub's address (`http://host:port`, `ws://...`), or the whole class join link. */
  url: string
  /** The workshop code; when empty, the one in the join link's fragment (`#code=...`). */
  code: string
  /** The learner's display name. */
  name: string
  runner: RunnerHooks
  /** A learner token from an earlier join: resume that row instead of creating one. */
  token?: string
  /** [minBackoffMs=500] First reconnect delay; doubles up to `maxBackoffMs`. */
  minBackoffMs?: number
  /** [maxBackoffMs=10000] */
  maxBackoffMs?: number
  /** [maxQueuedEvents=1000] Events kept while disconnected (oldest dropped first). */
  maxQueuedEvents?: number
  onState?: (state: JoinState, detail?: string) => void
  /** [onError=console.error] A runner hook that threw while applying the instructor's request (the link stays up). */
  onError?: (error: unknown) => void
  /**
   * [onRefused=console.warn] The hub did not take one progress event (its course differs from this runner's, or the
   * row missed earlier results); the link stays up.
   */
  onRefused?: (code: string, message: string) => void
}

export interface HubConnection {
  /** Resolves on the first welcome; rejects if the hub refuses the code. */
  joined: Promise<{ learnerId: string; token: string }>
  readonly state: JoinState
  close(): void
}

export function hubSocketUrl(url: string, path: string): string {
  const u = new URL(path, url)
  if (u.protocol === 'http:') u.protocol = 'ws:'
  if (u.protocol === 'https:') u.protocol = 'wss:'
  return u.toString()
}

export function connectToHub(options: JoinOptions): HubConnection {
  const { url, code } = parseJoinLink(options.url, options.code || undefined)
  const address = hubSocketUrl(url, hubPaths.runner)
  const queue: LearnerEvent[] = []
  const maxQueued = options.maxQueuedEvents ?? 1000
  let token = options.token
  let ws: WebSocket | undefined
  let state: JoinState = 'connecting'
  let attempt = 0
  let retryTimer: NodeJS.Timeout | undefined
  let settle: { resolve(v: { learnerId: string; token: string }): void; reject(e: Error): void }
  const joined = new Promise<{ learnerId: string; token: string }>((resolve, reject) => (settle = { resolve, reject }))
  joined.catch(() => undefined)

  const reportError =
    options.onError ?? ((error: unknown) => console.error("workshop: applying the instructor's request failed:", error))
  const reportRefused =
    options.onRefused ??
    ((code: string, message: string) => console.warn(`workshop: the hub refused a progress event: ${code}: ${message}`))
  const setState = (next: JoinState, detail?: string) => {
    state = next
    options.onState?.(next, detail)
  }
  const sendNow = (message: RunnerToHub) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
  }
  const mirrors = new MirrorBatcher(HUB_MAX_CHUNK_CHARS, (terminalId, data) =>
    sendNow({ type: 'mirror-chunk', terminalId, data }),
  )
  const unobserve = options.runner.addObserver({
    onEvent(event) {
      if (state === 'joined') return sendNow({ type: 'event', event })
      queue.push(event)
      if (queue.length > maxQueued) queue.shift()
    },
  })

  const stop = (final: JoinState, detail?: string) => {
    clearTimeout(retryTimer)
    unobserve()
    mirrors.stopAll()
    options.runner.setWorkshop(false)
    setState(final, detail)
    settle.reject(new Error(`${final}: ${detail ?? ''}`))
    ws?.close()
  }

  /** Applies one instruction of the hub through the runner's hooks. */
  const apply = (message: HubToRunner) => {
    switch (message.type) {
      case 'welcome':
        token = message.token
        attempt = 0
        setState('joined')
        options.runner.setWorkshop(true)
        // What the learner completed before this link (an earlier session, a hub restart) comes first, as the
        // runner's own store has it; the hub holds it to the course's order like every event.
        sendNow({ type: 'progress', completed: options.runner.completedChapters() })
        for (const event of queue.splice(0)) sendNow({ type: 'event', event })
        return settle.resolve({ learnerId: message.learnerId, token: message.token })
      case 'pace':
        return options.runner.setPace(message.pace)
      case 'notify':
        return options.runner.notify(message.notice)
      case 'reveal':
        return options.runner.revealSolution(message.chapterId)
      case 'mirror-start':
        return mirrors.start(message.terminalId, (listener) =>
          options.runner.mirrorTerminal(message.terminalId, listener),
        )
      case 'mirror-stop':
        return mirrors.stop(message.terminalId)
      case 'removed':
        return stop('removed', 'the instructor removed you from the workshop')
      case 'refused':
        return reportRefused(message.code, message.message)
    }
  }

  const open = () => {
    setState('connecting')
    const socket = new WebSocket(address, { perMessageDeflate: false })
    ws = socket
    socket.on('open', () => {
      socket.send(JSON.stringify(token ? { type: 'resume', token } : { type: 'hello', code, name: options.name }))
    })
    socket.on('message', (raw) => {
      let parsed: ReturnType<typeof hubToRunnerSchema.safeParse>
      try {
        parsed = hubToRunnerSchema.safeParse(JSON.parse(raw.toString()))
      } catch {
        return
      }
      if (!parsed.success) return
      try {
        apply(parsed.data)
      } catch (error) {
        reportError(error)
      }
    })
    socket.on('close', (closeCode, reason) => {
      if (ws !== socket || state === 'removed' || state === 'closed' || state === 'refused') return
      mirrors.stopAll()
      const why = reason.toString()
      if (closeCode === hubCloseCodes.removed) return stop('removed', why)
      // The hub refused what this client sent, or has no room for another learner: trying again would be refused again.
      if (closeCode === hubCloseCodes.badMessage || closeCode === hubCloseCodes.full) return stop('refused', why)
      if (closeCode === hubCloseCodes.unauthorized) {
        // A restarted hub no longer knows the token: join again as a new row rather than give up.
        if (token && why.startsWith('HUB_BAD_TOKEN')) token = undefined
        else return stop('refused', why)
      }
      options.runner.setWorkshop(false)
      setState('disconnected', why)
      const delay = Math.min(options.maxBackoffMs ?? 10_000, (options.minBackoffMs ?? 500) * 2 ** attempt++)
      retryTimer = setTimeout(open, delay * (0.75 + Math.random() * 0.5))
    })
    socket.on('error', () => undefined) // 'close' follows and schedules the retry
  }
  open()

  return {
    joined,
    get state() {
      return state
    },
    close: () => stop('closed'),
  }
}

/**
 * The hub address and workshop code from the class join link (`http://host:port/instructor#code=XXXXX-XXXXX`), so a
 * learner pastes one link into `npm run learn -- --join <link> --name <name>`. An explicit code wins over the link's.
 */
export function parseJoinLink(link: string, code?: string): { url: string; code: string } {
  let parsed: URL
  try {
    parsed = new URL(link)
  } catch {
    throw new Error(`HUB_BAD_JOIN_LINK: --join ${link}: not a URL; use the class join link the instructor shared`)
  }
  const fromLink = new URLSearchParams(parsed.hash.slice(1)).get('code') ?? undefined
  const found = code ?? fromLink
  if (!found)
    throw new Error(`HUB_BAD_JOIN_LINK: --join ${link}: no workshop code; pass --code or use the full join link`)
  return { url: parsed.origin, code: found }
}
