/**
 * Reading and refusing frames, the same way for every role: a frame must be text, JSON, and one of the messages the
 * socket's role may send. Anything else closes that socket with a code and a reason, and touches nothing else.
 */
import type { RawData, WebSocket } from 'ws'
import type { z } from 'zod'
import { hubCloseCodes } from '../../protocol/hub.ts'

/** Close reasons travel in a control frame: at most 123 bytes. */
function clip(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${Buffer.from(reason).subarray(0, 120).toString()}...`
}

export function refuse(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, clip(reason))
}

/** Parses one frame against `schema`, or closes the socket (`HUB_BAD_MESSAGE`) and returns undefined. */
export function readFrame<S extends z.ZodType>(
  ws: WebSocket,
  raw: RawData,
  isBinary: boolean,
  schema: S,
): z.infer<S> | undefined {
  if (isBinary) {
    refuse(ws, hubCloseCodes.badMessage, 'HUB_BAD_MESSAGE: binary frames are not accepted')
    return undefined
  }
  let json: unknown
  try {
    json = JSON.parse(raw.toString())
  } catch {
    refuse(ws, hubCloseCodes.badMessage, 'HUB_BAD_MESSAGE: not JSON')
    return undefined
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const type = typeof (json as { type?: unknown })?.type === 'string' ? (json as { type: string }).type : '?'
    refuse(
      ws,
      hubCloseCodes.badMessage,
      `HUB_BAD_MESSAGE: ${type}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    )
    return undefined
  }
  return parsed.data
}

/** Sends a message unless the socket is gone; a peer too slow to drain `maxBuffered` bytes is dropped to protect the hub. */
export function send(ws: WebSocket, message: unknown, maxBuffered = 8 * 1024 * 1024): void {
  if (ws.readyState !== ws.OPEN) return
  if (ws.bufferedAmount > maxBuffered) {
    ws.terminate()
    return
  }
  ws.send(typeof message === 'string' ? message : JSON.stringify(message))
}

/** Closes the socket if it has not authenticated within `ms`; returns the cancel function. */
export function authDeadline(ws: WebSocket, ms: number): () => void {
  const timer = setTimeout(() => refuse(ws, hubCloseCodes.authTimeout, 'HUB_AUTH_TIMEOUT: no hello/auth in time'), ms)
  timer.unref()
  return () => clearTimeout(timer)
}
