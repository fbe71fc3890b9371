/**
 * N simulated learners over real WebSockets on loopback, each sending progress like a runner does, and one dashboard
 * that timestamps when each learner's progress shows up. Every event names a fresh step id, so a row seen on the
 * dashboard tells exactly which send it reflects.
 */
import WebSocket from 'ws'
import { hubPaths, hubToDashboardSchema } from '../../protocol/hub.ts'
import type { LearnerEvent } from '../../protocol/learner-event.ts'

export interface ClassRun {
  latenciesMs: number[]
  sent: number
  seen: number
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

export async function runClass(
  hubUrl: string,
  learners: number,
  durationMs: number,
  meanIntervalMs: number,
): Promise<ClassRun> {
  const base = hubUrl.replace(/^http/, 'ws')
  const dashboard = await open(base + hubPaths.dashboard)
  const sentAt = new Map<string, number>()
  const latenciesMs: number[] = []
  dashboard.on('message', (raw) => {
    const now = performance.now()
    const message = hubToDashboardSchema.parse(JSON.parse(raw.toString()))
    if (message.type !== 'delta') return
    for (const row of message.learners) {
      const key = `${row.name}/${row.stepId}`
      const at = sentAt.get(key)
      if (at === undefined) continue
      latenciesMs.push(now - at)
      sentAt.delete(key)
    }
  })
  dashboard.send(JSON.stringify({ type: 'auth', secret: 'bench-secret' }))

  const sockets = await Promise.all(
    Array.from({ length: learners }, async (_, i) => {
      const ws = await open(base + hubPaths.runner)
      ws.send(JSON.stringify({ type: 'hello', code: 'BENCH-CODE0', name: `learner-${i}` }))
      await new Promise((resolve) => ws.once('message', resolve))
      return ws
    }),
  )

  let sent = 0
  const end = performance.now() + durationMs
  await Promise.all(
    sockets.map(async (ws, i) => {
      let step = 0
      // Spread the first sends over one interval so learners do not fire in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * meanIntervalMs))
      while (performance.now() < end) {
        const stepId = `s-${step++}`
        const event: LearnerEvent = {
          type: 'step-finished',
          at: Date.now(),
          chapterId: `chapter-${i % 9}`,
          stepId,
          ok: true,
          exitCode: 0,
        }
        sentAt.set(`learner-${i}/${stepId}`, performance.now())
        ws.send(JSON.stringify({ type: 'event', event }))
        sent++
        await new Promise((r) => setTimeout(r, meanIntervalMs * (0.5 + Math.random())))
      }
    }),
  )
  await new Promise((r) => setTimeout(r, 1000))
  for (const ws of sockets) ws.close()
  dashboard.close()
  return { latenciesMs, sent, seen: latenciesMs.length }
}
