/**
 * The dashboard's live copy of the class: one socket to the hub, authenticated with the instructor secret, the
 * snapshot then coalesced deltas, controls as request/answer pairs, and mirrored terminals routed to their views.
 * Reconnects with backoff unless the hub refused the secret.
 */
import { computed, onBeforeUnmount, ref, shallowRef, triggerRef } from 'vue'
import {
  type ChapterInfo,
  type DashboardAction,
  type HubToDashboard,
  hubCloseCodes,
  hubPaths,
  hubToDashboardSchema,
  type LearnerView,
  type Overview,
  type Pace,
} from '../../../../protocol/hub.ts'
import { socketUrl } from './hub-link.ts'

type Result = Extract<HubToDashboard, { type: 'result' }>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export function useHubDashboard(hub: string, secret: string) {
  const learners = shallowRef(new Map<string, LearnerView>())
  const chapters = ref<ChapterInfo[]>([])
  const overview = ref<Overview>([])
  const classPace = ref<Pace>(null)
  const hosted = ref(false)
  const status = ref<'connecting' | 'live' | 'reconnecting' | 'refused'>('connecting')
  const refusal = ref('')
  /** Hub clock minus ours, so "time on step" is right on a laptop with a wrong clock. */
  const clockOffset = ref(0)
  const terminals = new Map<string, (data: string) => void>()
  const presenterListeners = new Set<(data: string) => void>()
  let presenterLog = ''
  const pending = new Map<number, (result: Result) => void>()
  let ws: WebSocket | undefined
  let nextId = 1
  let attempt = 0
  let stopped = false
  let retry: ReturnType<typeof setTimeout> | undefined

  function apply(message: HubToDashboard): void {
    switch (message.type) {
      case 'snapshot':
        learners.value = new Map(message.learners.map((l) => [l.id, l]))
        chapters.value = message.chapters
        overview.value = message.overview
        classPace.value = message.classPace
        hosted.value = message.hosted
        clockOffset.value = message.now - Date.now()
        return
      case 'delta':
        for (const l of message.learners) learners.value.set(l.id, l)
        for (const id of message.removed) learners.value.delete(id)
        triggerRef(learners)
        overview.value = message.overview
        classPace.value = message.classPace
        clockOffset.value = message.now - Date.now()
        return
      case 'terminal':
        return terminals.get(`${message.learnerId} ${message.terminalId}`)?.(message.data)
      case 'presenter':
        presenterLog = (presenterLog + message.data).slice(-256 * 1024)
        return presenterListeners.forEach((l) => l(message.data))
      case 'result':
        pending.get(message.id)?.(message)
        return void pending.delete(message.id)
    }
  }

  function connect(): void {
    const socket = new WebSocket(socketUrl(hub, hubPaths.dashboard))
    ws = socket
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', secret }))
    socket.onmessage = (event) => {
      const parsed = hubToDashboardSchema.safeParse(JSON.parse(String(event.data)))
      if (!parsed.success) return
      if (parsed.data.type === 'snapshot') {
        status.value = 'live'
        attempt = 0
        // Terminals watched before a reconnect are asked for again (their replay redraws them).
        for (const key of terminals.keys()) {
          const [learnerId, terminalId] = key.split(' ')
          socket.send(JSON.stringify({ type: 'watch', learnerId, terminalId }))
        }
      }
      apply(parsed.data)
    }
    socket.onclose = (event) => {
      for (const resolve of pending.values())
        resolve({ type: 'result', id: -1, ok: false, code: 'HUB_DISCONNECTED', message: 'connection to the hub lost' })
      pending.clear()
      if (stopped) return
      if (event.code === hubCloseCodes.unauthorized) {
        status.value = 'refused'
        refusal.value = event.reason
        return
      }
      status.value = 'reconnecting'
      retry = setTimeout(connect, Math.min(10_000, 500 * 2 ** attempt++))
    }
  }

  /** Sends a control and resolves with the hub's answer (ok, or an error code and message). */
  function act(action: DistributiveOmit<DashboardAction, 'id'>): Promise<Result> {
    const id = nextId++
    return new Promise((resolve) => {
      if (ws?.readyState !== WebSocket.OPEN)
        return resolve({ type: 'result', id, ok: false, code: 'HUB_DISCONNECTED', message: 'not connected to the hub' })
      pending.set(id, resolve)
      ws.send(JSON.stringify({ ...action, id }))
    })
  }

  /** Mirrors a learner's terminal into `write` until the returned function is called. */
  function watch(learnerId: string, terminalId: string, write: (data: string) => void): () => void {
    const key = `${learnerId} ${terminalId}`
    terminals.set(key, write)
    void act({ type: 'watch', learnerId, terminalId })
    return () => {
      terminals.delete(key)
      void act({ type: 'unwatch', learnerId, terminalId })
    }
  }

  function onPresenter(write: (data: string) => void): () => void {
    if (presenterLog) write(presenterLog)
    presenterListeners.add(write)
    return () => presenterListeners.delete(write)
  }

  function presenterInput(data: string): void {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'presenter-input', data }))
  }

  connect()
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(retry)
    ws?.close()
  })

  const rows = computed(() => [...learners.value.values()].sort((a, b) => a.name.localeCompare(b.name)))
  return {
    rows,
    chapters,
    overview,
    classPace,
    hosted,
    status,
    refusal,
    clockOffset,
    act,
    watch,
    onPresenter,
    presenterInput,
  }
}

export type HubDashboard = ReturnType<typeof useHubDashboard>
