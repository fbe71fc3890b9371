/**
 * A learner following the presenter: authenticates with the workshop code or their own learner token, then only
 * receives. The follower schema has no input message, so the presenter's terminal is read-only by construction.
 */
import type { WebSocket } from 'ws'
import { followerToHubSchema, type HubToFollower, hubCloseCodes } from '../../protocol/hub.ts'
import type { PresenterTerminal } from '../presenter-terminal.ts'
import { authDeadline, readFrame, refuse, send } from './frames.ts'
import type { HubCore } from './hub-core.ts'
import type { WorkshopCode } from './workshop-code.ts'

export function handleFollower(
  core: HubCore,
  ws: WebSocket,
  options: {
    workshopCode: WorkshopCode
    address: string
    presenter?: PresenterTerminal
    /** Called once the socket proved its credentials. */
    authenticated?: () => void
  },
): void {
  let unsubscribe: (() => void) | undefined
  const cancelDeadline = authDeadline(ws, 5000)
  ws.on('message', (raw, isBinary) => {
    const message = readFrame(ws, raw, isBinary, followerToHubSchema)
    if (!message) return
    if (unsubscribe) return refuse(ws, hubCloseCodes.badMessage, 'HUB_READ_ONLY: a follower cannot send input')
    if (core.learnerOfToken(message.secret) === undefined) {
      const wrong = options.workshopCode.check(message.secret, options.address)
      if (wrong?.code === 'HUB_TOO_MANY_CODES')
        return refuse(ws, hubCloseCodes.unauthorized, `${wrong.code}: ${wrong.message}`)
      if (wrong)
        return refuse(
          ws,
          hubCloseCodes.unauthorized,
          'HUB_UNAUTHORIZED: follow needs the workshop code or a learner token',
        )
    }
    if (!options.presenter) return refuse(ws, 4404, 'HUB_PRESENTER_OFF: this hub runs no presenter terminal')
    cancelDeadline()
    options.authenticated?.()
    send(ws, { type: 'presenter', data: options.presenter.replay() } satisfies HubToFollower)
    unsubscribe = options.presenter.onData((data) => send(ws, { type: 'presenter', data } satisfies HubToFollower))
  })
  ws.on('close', () => {
    cancelDeadline()
    unsubscribe?.()
  })
}
