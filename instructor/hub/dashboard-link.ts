/**
 * The instructor's dashboard on the hub: `auth` with the instructor secret first (the workshop code or a learner
 * token is refused), then a snapshot, coalesced deltas, mirrored terminals, and the controls.
 */
import type { WebSocket } from 'ws'
import { type DashboardAction, dashboardToHubSchema, type HubToDashboard, hubCloseCodes } from '../../protocol/hub.ts'
import type { PresenterTerminal } from '../presenter-terminal.ts'
import { authDeadline, readFrame, refuse, send } from './frames.ts'
import type { Dashboard, HubCore } from './hub-core.ts'
import { HubError } from './hub-error.ts'
import { secretEquals } from './secrets.ts'

export interface DashboardLinkOptions {
  instructorSecret: string
  presenter?: PresenterTerminal
  /** [authTimeoutMs=5000] */
  authTimeoutMs?: number
  /** Called once the socket proved its credentials (it then keeps its place when the hub is full of sockets). */
  authenticated?: () => void
}

export function handleDashboard(core: HubCore, ws: WebSocket, options: DashboardLinkOptions): void {
  let dashboard: Dashboard | undefined
  let unsubscribePresenter: (() => void) | undefined
  const cancelDeadline = authDeadline(ws, options.authTimeoutMs ?? 5000)

  ws.on('message', (raw, isBinary) => {
    const message = readFrame(ws, raw, isBinary, dashboardToHubSchema)
    if (!message) return
    if (!dashboard) {
      if (message.type !== 'auth' || !secretEquals(message.secret, options.instructorSecret)) {
        return refuse(ws, hubCloseCodes.unauthorized, 'HUB_UNAUTHORIZED: the dashboard needs the instructor secret')
      }
      cancelDeadline()
      options.authenticated?.()
      dashboard = { ws, watches: new Set() }
      core.dashboards.add(dashboard)
      send(ws, core.snapshot())
      if (options.presenter) {
        send(ws, { type: 'presenter', data: options.presenter.replay() } satisfies HubToDashboard)
        unsubscribePresenter = options.presenter.onData((data) =>
          send(ws, { type: 'presenter', data } satisfies HubToDashboard),
        )
      }
      return
    }
    if (message.type === 'auth') return refuse(ws, hubCloseCodes.badMessage, 'HUB_BAD_MESSAGE: already authenticated')
    const id = 'id' in message ? message.id : undefined
    run(core, dashboard, message, options.presenter).then(
      () => id !== undefined && send(ws, { type: 'result', id, ok: true } satisfies HubToDashboard),
      (error: unknown) => {
        const code = error instanceof HubError ? error.code : 'HUB_INTERNAL'
        if (id !== undefined)
          send(ws, { type: 'result', id, ok: false, code, message: (error as Error).message } satisfies HubToDashboard)
      },
    )
  })
  ws.on('close', () => {
    cancelDeadline()
    unsubscribePresenter?.()
    if (dashboard) core.dropDashboard(dashboard)
  })
}

async function run(
  core: HubCore,
  dashboard: Dashboard,
  action: DashboardAction,
  presenter?: PresenterTerminal,
): Promise<void> {
  switch (action.type) {
    case 'pace':
      return core.pace(action.learnerId, action.pace)
    case 'broadcast':
      return core.notify(undefined, { kind: 'broadcast', text: action.text, from: 'instructor' })
    case 'hint':
      return core.notify(action.learnerId, { kind: 'hint', text: action.text, from: 'instructor' })
    case 'reveal':
      return core.reveal(action.learnerId, action.chapterId)
    case 'watch':
      return core.watch(dashboard, action.learnerId, action.terminalId)
    case 'unwatch':
      return core.unwatch(dashboard, action.learnerId, action.terminalId)
    case 'reset':
      return core.reset(action.learnerId, action.chapterOrder)
    case 'remove':
      return core.remove(action.learnerId)
    case 'presenter-input':
    case 'presenter-resize':
      if (!presenter) throw new HubError('HUB_PRESENTER_OFF', 'this hub runs no presenter terminal')
      return action.type === 'presenter-input'
        ? presenter.write(action.data)
        : presenter.resize(action.cols, action.rows)
  }
}
