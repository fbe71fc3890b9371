/**
 * `POST /__hub/join`: a learner with only a browser sends the workshop code and a name, and gets a lab of their own
 * on the hub's machine (its URL with its own token) plus their learner token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { securityHeaders } from '../../http/static-site.ts'
import { type HostedJoinResponse, hostedJoinRequestSchema } from '../../protocol/hub.ts'
import type { HostedControl, HubCore } from './hub-core.ts'
import { HubError } from './hub-error.ts'
import type { WorkshopCode } from './workshop-code.ts'

/** The hosted-lab manager as the hub's HTTP route sees it. */
export interface HostedLabs extends HostedControl {
  /** A lab for a new learner named `name`: a warm spare when there is one, else a fresh start (up to the cap). */
  claim(name: string): Promise<HostedJoinResponse>
  close(): Promise<void>
}

const MAX_BODY = 4096

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString()
}

export async function handleHostedJoin(
  req: IncomingMessage,
  res: ServerResponse,
  workshopCode: WorkshopCode,
  hosted: HostedLabs | undefined,
  rows: Pick<HubCore, 'reserveHosted'>,
): Promise<void> {
  if (!hosted)
    return reply(res, 404, { code: 'HUB_HOSTED_DISABLED', message: 'this hub hosts no labs: join with a local lab' })
  const body = await readBody(req)
  if (body === undefined) return reply(res, 413, { code: 'HUB_BAD_MESSAGE', message: `body over ${MAX_BODY} bytes` })
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return reply(res, 400, { code: 'HUB_BAD_MESSAGE', message: 'body is not JSON' })
  }
  const parsed = hostedJoinRequestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return reply(res, 400, { code: 'HUB_BAD_MESSAGE', message: `${issue.path.join('.')}: ${issue.message}` })
  }
  const address = req.socket.remoteAddress ?? ''
  const wrong = workshopCode.check(parsed.data.code, address)
  if (wrong?.retryAfter !== undefined)
    return reply(res, 429, { code: wrong.code, message: wrong.message }, { 'retry-after': String(wrong.retryAfter) })
  if (wrong) return reply(res, 401, { code: wrong.code, message: wrong.message })
  let place: (learnerId?: string) => void
  try {
    place = rows.reserveHosted(address)
  } catch (error) {
    if (!(error instanceof HubError)) throw error
    return reply(res, 429, { code: error.code, message: error.message })
  }
  try {
    const joined = await hosted.claim(parsed.data.name)
    place(joined.learnerId)
    reply(res, 200, joined)
  } catch (error) {
    place()
    const code = error instanceof HubError ? error.code : 'HUB_HOSTED_FAILED'
    reply(res, code === 'HUB_HOSTED_FULL' ? 503 : 500, { code, message: (error as Error).message })
  }
}
