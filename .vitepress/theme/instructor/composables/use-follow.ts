/**
 * A learner following the presenter: a socket authenticated with the workshop code (or the learner's token) that
 * only receives the instructor's terminal output.
 */
import { onBeforeUnmount, ref } from 'vue'
import { hubCloseCodes, hubPaths, hubToFollowerSchema } from '../../../../protocol/hub.ts'
import { socketUrl } from './hub-link.ts'

export function useFollow(hub: string, secret: string) {
  const status = ref<'connecting' | 'live' | 'reconnecting' | 'refused'>('connecting')
  const refusal = ref('')
  const listeners = new Set<(data: string) => void>()
  let ws: WebSocket | undefined
  let stopped = false
  let retry: ReturnType<typeof setTimeout> | undefined

  function connect(): void {
    const socket = new WebSocket(socketUrl(hub, hubPaths.follow))
    ws = socket
    let first = true
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', secret }))
    socket.onmessage = (event) => {
      const parsed = hubToFollowerSchema.safeParse(JSON.parse(String(event.data)))
      if (!parsed.success) return
      // The first message is the replay: after a reconnect it redraws the screen from a clean slate.
      const data = first ? `\x1bc${parsed.data.data}` : parsed.data.data
      first = false
      status.value = 'live'
      listeners.forEach((l) => l(data))
    }
    socket.onclose = (event) => {
      if (stopped) return
      if (event.code === hubCloseCodes.unauthorized || event.code === 4404) {
        status.value = 'refused'
        refusal.value = event.reason
        return
      }
      status.value = 'reconnecting'
      retry = setTimeout(connect, 2000)
    }
  }
  connect()
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(retry)
    ws?.close()
  })
  return {
    status,
    refusal,
    subscribe(write: (data: string) => void) {
      listeners.add(write)
      return () => listeners.delete(write)
    },
  }
}
