import { rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import type { TwinContext } from '../context.ts'
import type { ToolHandler, ToolIO } from './tool.ts'

/** A request line from lab/twin/daemon/client.pl (see the protocol there): the tool's name and its call. */
type ToolRequest = { tool: string } & Pick<ToolIO, 'argv' | 'cwd' | 'env' | 'stdin' | 'tty'>

/** Serves the tool shims on a unix socket: one connection per tool invocation, dispatched to its handler. */
export async function serveTools(
  socketPath: string,
  tools: Record<string, ToolHandler>,
  lab: TwinContext,
  log: (line: string) => void,
): Promise<Server> {
  rmSync(socketPath, { force: true })
  const server = createServer((socket) => handleConnection(socket, tools, lab, log))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Whoever connects drives the lab (a local lab's daemon runs what it is asked as the machine's root), so the socket
    // is its owner's alone whatever umask the lab started with: made under umask 177 (the bind happens in listen,
    // synchronously), never open to others for a moment, as a chmod after it would leave it.
    const umask = process.umask(0o177)
    try {
      server.listen(socketPath, resolve)
    } finally {
      process.umask(umask)
    }
  })
  return server
}

function handleConnection(
  socket: Socket,
  tools: Record<string, ToolHandler>,
  lab: TwinContext,
  log: (line: string) => void,
) {
  let buffered = ''
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const newline = buffered.indexOf('\n')
    if (newline < 0) return
    socket.off('data', onData)
    let request: ToolRequest
    try {
      request = JSON.parse(buffered.slice(0, newline)) as ToolRequest
    } catch {
      log(`dropped a malformed tool request: ${buffered.slice(0, 200)}`)
      socket.destroy()
      return
    }
    void dispatch(request, socket, tools, lab, log)
  }
  socket.on('data', onData)
  socket.on('error', () => socket.destroy())
}

async function dispatch(
  request: ToolRequest,
  socket: Socket,
  tools: Record<string, ToolHandler>,
  lab: TwinContext,
  log: (line: string) => void,
) {
  const send = (frame: object) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`)
  }
  // The shim closes its end only by exiting: whatever the tool still streams has no reader.
  const gone = new AbortController()
  socket.once('close', () => gone.abort())
  const io: ToolIO = {
    argv: request.argv,
    cwd: request.cwd,
    env: request.env,
    stdin: request.stdin,
    tty: request.tty,
    stdout: (text) => send({ o: text }),
    stderr: (text) => send({ e: text }),
    signal: gone.signal,
    interruptible: (exitCode) => send({ i: exitCode }),
  }
  const handler = tools[request.tool]
  try {
    if (!handler) {
      io.stderr(`${request.tool}: not available in this lab\n`)
      send({ x: 127 })
    } else {
      const result = await handler(io, lab)
      send('execLocal' in result ? { l: result.execLocal } : { x: result.exitCode })
    }
  } catch (error) {
    // A tool bug must not take the lab down: report it like a failing command and keep serving.
    log(`${request.tool} ${request.argv.join(' ')}: ${(error as Error).stack ?? String(error)}`)
    io.stderr(`${request.tool}: ${(error as Error).message}\n`)
    send({ x: 1 })
  }
  socket.end()
}
