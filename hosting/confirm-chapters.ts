/**
 * After a reset, the fresh runner knows nothing of the replayed chapters. Running their checks through the runner's
 * own socket, as the learner's page would, both records them as completed (so the gates open up to chapter N) and
 * proves the replayed lab really is in the state those chapters promise.
 */
import WebSocket from 'ws'
import { HubError } from '../instructor/hub/hub-error.ts'
import {
  type ChapterCheckResult,
  LAB_TOKEN_PROTOCOL_PREFIX,
  LAB_WS_PATH,
  LAB_WS_PROTOCOL,
  type ServerMessage,
} from '../protocol/messages.ts'

/** Runs the checks of `chapterIds` in order on the runner at `openUrl` (its address with `?token=`). */
export async function confirmChapters(openUrl: string, chapterIds: string[], timeoutMs = 300_000): Promise<void> {
  if (chapterIds.length === 0) return
  const url = new URL(openUrl)
  const token = url.searchParams.get('token') ?? ''
  const ws = new WebSocket(
    new URL(LAB_WS_PATH, url.origin).href.replace(/^http/, 'ws'),
    [LAB_WS_PROTOCOL, `${LAB_TOKEN_PROTOCOL_PREFIX}${token}`],
    {
      origin: url.origin,
      perMessageDeflate: false,
    },
  )
  const replies = new Map<number, (message: Extract<ServerMessage, { type: 'reply' }>) => void>()
  ws.on('message', (data, isBinary) => {
    if (isBinary) return
    const message = JSON.parse(data.toString()) as ServerMessage
    if (message.type === 'reply') replies.get(message.id)?.(message)
  })
  const closed = new Promise<never>((_, reject) => {
    ws.once('close', () =>
      reject(new HubError('HUB_RESET_FAILED', 'the fresh runner closed its socket while confirming the reset')),
    )
    ws.once('error', (error) =>
      reject(new HubError('HUB_RESET_FAILED', `cannot reach the fresh runner: ${error.message}`, { cause: error })),
    )
  })
  closed.catch(() => undefined)
  const timer = setTimeout(() => ws.terminate(), timeoutMs)
  try {
    await Promise.race([new Promise((resolve) => ws.once('open', resolve)), closed])
    let id = 0
    for (const chapterId of chapterIds) {
      const requestId = ++id
      const reply = new Promise<Extract<ServerMessage, { type: 'reply' }>>((resolve) => replies.set(requestId, resolve))
      ws.send(JSON.stringify({ type: 'check', id: requestId, chapterId }))
      const answer = await Promise.race([reply, closed])
      if (!answer.ok)
        throw new HubError(
          'HUB_RESET_FAILED',
          `checking ${chapterId} after the replay: ${answer.code} ${answer.message}`,
        )
      const result = answer.result as ChapterCheckResult
      const failed = result.checks.find((c) => !c.ok)
      if (failed) {
        throw new HubError(
          'HUB_RESET_FAILED',
          `after replaying the solutions, ${chapterId}/${failed.checkId} still fails: ${failed.reason}\n  expected ${failed.expected}, got ${failed.actual}`,
        )
      }
    }
  } finally {
    clearTimeout(timer)
    ws.removeAllListeners('close')
    ws.close()
  }
}
