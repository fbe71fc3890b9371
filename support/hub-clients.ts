/**
 * Clients the hub tests drive: a dashboard and a raw socket that record what the hub sends, and a runner that records
 * what the instructor's controls did to it. The runner keeps real state (pace, notices, terminal output) so tests
 * assert on what a learner would see.
 */

import { afterEach, beforeEach } from 'vitest'
import WebSocket from 'ws'
import { createHub, type Hub, type HubOptions } from '../instructor/hub/create-hub.ts'
import { type HubConnection, hubSocketUrl } from '../instructor/join.ts'
import {
  type DashboardAction,
  type HubToDashboard,
  hubPaths,
  hubToDashboardSchema,
  type LearnerView,
  type Notice,
  type Pace,
} from '../protocol/hub.ts'
import type { LearnerEvent } from '../protocol/learner-event.ts'
import type { RunnerHooks } from '../protocol/runner-hooks.ts'

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 3000): Promise<T> {
  const start = Date.now()
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export interface RawSocket {
  ws: WebSocket
  messages: unknown[]
  closed: Promise<{ code: number; reason: string }>
  send(message: unknown): void
}

/** `localAddress` (127.0.0.2, say) makes the socket come from another machine as far as the hub can tell. */
export async function rawSocket(
  hubUrl: string,
  path: string,
  headers?: Record<string, string>,
  localAddress?: string,
): Promise<RawSocket> {
  const ws = new WebSocket(hubSocketUrl(hubUrl, path), { headers, localAddress })
  const messages: unknown[] = []
  ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, messages, closed, send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) }
}

/** The dashboard's view of the class, rebuilt from snapshot + deltas exactly as the page does. */
export async function dashboardClient(hubUrl: string, secret: string) {
  const socket = await rawSocket(hubUrl, hubPaths.dashboard)
  const rows = new Map<string, LearnerView>()
  const terminal: string[] = []
  const results = new Map<number, Extract<HubToDashboard, { type: 'result' }>>()
  let nextId = 1
  socket.ws.on('message', (raw) => {
    const message = hubToDashboardSchema.parse(JSON.parse(raw.toString()))
    if (message.type === 'snapshot') message.learners.forEach((l) => rows.set(l.id, l))
    if (message.type === 'delta') {
      message.learners.forEach((l) => rows.set(l.id, l))
      message.removed.forEach((id) => rows.delete(id))
    }
    if (message.type === 'terminal') terminal.push(message.data)
    if (message.type === 'result') results.set(message.id, message)
  })
  socket.send({ type: 'auth', secret })
  return {
    socket,
    rows,
    terminal,
    /** Sends a control and waits for the hub's answer. */
    async act(action: DashboardAction, timeoutMs = 3000) {
      const id = nextId++
      socket.send({ ...action, id })
      return waitFor(() => results.get(id), `result of ${action.type}`, timeoutMs)
    },
  }
}

/** A runner as the join client sees it, recording what the instructor did to it. */
export function recordingRunner() {
  const observers = new Set<{ onEvent(event: LearnerEvent): void }>()
  const terminalListeners = new Map<string, Set<(data: Buffer) => void>>()
  const scrollback = new Map<string, string>()
  const state = {
    pace: undefined as Pace | undefined,
    notices: [] as Notice[],
    revealed: [] as string[],
    completed: [] as string[],
    joined: false,
  }
  const hooks: RunnerHooks = {
    addObserver(observer) {
      observers.add(observer)
      return () => observers.delete(observer)
    },
    setPace: (pace) => void (state.pace = pace),
    notify: (notice) => void state.notices.push(notice),
    revealSolution: (chapterId) => void state.revealed.push(chapterId),
    completedChapters: () => state.completed,
    setWorkshop: (joined) => void (state.joined = joined),
    mirrorTerminal(terminalId, listener) {
      const set = terminalListeners.get(terminalId) ?? new Set()
      terminalListeners.set(terminalId, set)
      set.add(listener)
      listener(Buffer.from(scrollback.get(terminalId) ?? ''))
      return () => set.delete(listener)
    },
  }
  return {
    hooks,
    state,
    emit: (event: LearnerEvent) => observers.forEach((o) => o.onEvent(event)),
    /** Output in a learner's terminal: kept for replay and sent to mirrors. */
    print(terminalId: string, data: string) {
      scrollback.set(terminalId, (scrollback.get(terminalId) ?? '') + data)
      terminalListeners.get(terminalId)?.forEach((l) => l(Buffer.from(data)))
    },
    mirrors: (terminalId: string) => terminalListeners.get(terminalId)?.size ?? 0,
  }
}

/** A fresh hub per test (closed afterwards with every join client the test opened). */
export function useHub(options: Omit<HubOptions, 'flushMs'>) {
  const ctx = { hub: undefined as unknown as Hub, connections: [] as HubConnection[] }
  beforeEach(async () => {
    ctx.hub = await createHub({ ...options, flushMs: 20 })
  })
  afterEach(async () => {
    ctx.connections.splice(0).forEach((c) => c.close())
    await ctx.hub.close()
  })
  return ctx
}
