/**
 * One learner's runner on the hub: `hello` (workshop code + name) or `resume` (the learner's token) first, then only
 * progress events and mirrored terminal output. A runner socket can never carry an instructor action: those messages
 * are not in its schema, so sending one closes the socket.
 */
import type { WebSocket } from 'ws'
import { type HubToRunner, hubCloseCodes, runnerToHubSchema } from '../../protocol/hub.ts'
import { authDeadline, readFrame, refuse, send } from './frames.ts'
import type { HubCore } from './hub-core.ts'
import { HubError } from './hub-error.ts'
import type { WorkshopCode } from './workshop-code.ts'

export interface RunnerLinkOptions {
  workshopCode: WorkshopCode
  /** The remote address of the socket, for the per-address caps on new rows and wrong codes. */
  address: string
  /** [authTimeoutMs=5000] */
  authTimeoutMs?: number
  /** Called once the socket proved its credentials (it then keeps its place when the hub is full of sockets). */
  authenticated?: () => void
  /** [maxMessagesPerSecond=200] A runner sending more is closed: a flood must not starve the class. */
  maxMessagesPerSecond?: number
}

export function handleRunner(core: HubCore, ws: WebSocket, options: RunnerLinkOptions): void {
  let learnerId: string | undefined
  const cancelDeadline = authDeadline(ws, options.authTimeoutMs ?? 5000)
  const limit = options.maxMessagesPerSecond ?? 200
  let windowStart = Date.now()
  let inWindow = 0

  ws.on('message', (raw, isBinary) => {
    const now = Date.now()
    if (now - windowStart >= 1000) {
      windowStart = now
      inWindow = 0
    }
    if (++inWindow > limit)
      return refuse(ws, hubCloseCodes.badMessage, `HUB_FLOOD: more than ${limit} messages per second`)
    const message = readFrame(ws, raw, isBinary, runnerToHubSchema)
    if (!message) return
    if (learnerId === undefined) {
      if (message.type === 'hello') {
        const wrong = options.workshopCode.check(message.code, options.address)
        if (wrong) return refuse(ws, hubCloseCodes.unauthorized, `${wrong.code}: ${wrong.message}`)
        let joined: ReturnType<typeof core.join>
        try {
          joined = core.join(message.name, options.address)
        } catch (error) {
          if (!(error instanceof HubError)) throw error
          return refuse(ws, hubCloseCodes.full, `${error.code}: ${error.message}`)
        }
        learnerId = joined.learnerId
        send(ws, { type: 'welcome', ...joined } satisfies HubToRunner)
      } else if (message.type === 'resume') {
        learnerId = core.learnerOfToken(message.token)
        if (!learnerId) return refuse(ws, hubCloseCodes.unauthorized, 'HUB_BAD_TOKEN: unknown or removed learner')
        send(ws, { type: 'welcome', learnerId, token: message.token } satisfies HubToRunner)
      } else {
        return refuse(ws, hubCloseCodes.unauthorized, 'HUB_NOT_JOINED: send hello or resume first')
      }
      cancelDeadline()
      options.authenticated?.()
      core.attachRunner(learnerId, ws)
      return
    }
    switch (message.type) {
      case 'event':
      case 'progress':
        try {
          return message.type === 'event'
            ? core.onEvent(learnerId, message.event)
            : core.onProgress(learnerId, message.completed)
        } catch (error) {
          // One refused event is a mismatch to report, not a reason to drop the learner; a client sending nothing but
          // refused events is still bounded by the message rate above.
          if (!(error instanceof HubError)) throw error
          return send(ws, { type: 'refused', code: error.code, message: error.message } satisfies HubToRunner)
        }
      case 'mirror-chunk':
        return core.onMirror(learnerId, message.terminalId, message.data)
      default:
        return refuse(ws, hubCloseCodes.badMessage, `HUB_BAD_MESSAGE: ${message.type} after joining`)
    }
  })
  ws.on('close', () => {
    cancelDeadline()
    if (learnerId !== undefined) core.detachRunner(learnerId, ws)
  })
}
