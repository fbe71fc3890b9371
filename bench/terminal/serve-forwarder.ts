/**
 * The least a pty-in-another-process design can do, as a reference for the runner: node-pty's reads, each sent at
 * once as one WebSocket message, and the client's messages typed into the pty. No replay, no shell-integration
 * parser, no batching, no flow control, no token (bench only: loopback, a random port, gone with the bench). Where
 * this forwarder falls short of raw node-pty, the cause is the process hop itself on this machine, not the runner.
 * Takes the shell (file, args, env, cwd) as JSON in argv[2]; prints `{ url }` as one JSON line and stops on SIGTERM.
 */
import pty from 'node-pty'
import { WebSocketServer } from 'ws'

const shell = JSON.parse(process.argv[2]) as { file: string; args: string[]; env: Record<string, string>; cwd?: string }
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
server.on('connection', (socket) => {
  const p = pty.spawn(shell.file, shell.args, {
    name: 'xterm-256color',
    cols: 120,
    rows: 30,
    cwd: shell.cwd,
    env: shell.env,
    encoding: null,
  } as pty.IPtyForkOptions)
  p.onData((data) => socket.send(data as unknown as Buffer))
  socket.on('message', (data) => p.write(data.toString()))
  socket.on('close', () => p.kill('SIGKILL'))
})
server.on('listening', () => {
  const { port } = server.address() as { port: number }
  console.log(JSON.stringify({ url: `ws://127.0.0.1:${port}` }))
})
process.on('SIGTERM', () => {
  for (const socket of server.clients) socket.terminate()
  server.close(() => process.exit(0))
})
