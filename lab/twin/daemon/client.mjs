// The client behind every tool shim in <runDir>/bin (kubectl, docker, clab, ...). Plain JavaScript with Node's own
// modules only, so a tool call costs one Node start and a unix-socket round trip, not a TypeScript compile.
//
// Usage: node client.mjs <socket> <tool> [args...]
// Protocol (newline-delimited JSON): the client sends one request line
//   { tool, argv, cwd, env, stdin, tty }
// and the daemon answers with frames: { o: text } stdout, { e: text } stderr, then { x: code } to exit or
// { l: argv } to run argv here with inherited stdio (interactive shells need the caller's terminal).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'

const [socketPath, tool, ...argv] = process.argv.slice(2)
const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY)

// `docker exec` / `kubectl exec` without -i never read stdin, like the real tools: a loop such as
// `while read n; do docker exec $n ...; done < list` must not have its input swallowed.
function wantsStdin() {
  if (process.stdin.isTTY) return false
  if ((tool === 'docker' || tool === 'kubectl') && argv[0] === 'exec') {
    return argv.some((arg) => /^-[a-z]*i[a-z]*$/.test(arg) || arg === '--interactive' || arg === '--stdin')
  }
  return true
}

function readStdin() {
  try {
    return readFileSync(0, 'utf8')
  } catch {
    return null // closed or unreadable stdin reads as none
  }
}

const request = { tool, argv, cwd: process.cwd(), env: process.env, stdin: wantsStdin() ? readStdin() : null, tty }
const socket = connect(socketPath)
let buffered = ''
let done = false

socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'))
socket.on('data', (chunk) => {
  buffered += chunk.toString('utf8')
  let newline
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const frame = JSON.parse(buffered.slice(0, newline))
    buffered = buffered.slice(newline + 1)
    if ('o' in frame) process.stdout.write(frame.o)
    else if ('e' in frame) process.stderr.write(frame.e)
    else if ('x' in frame) finish(frame.x)
    else if ('l' in frame) runLocal(frame.l)
  }
})
socket.on('error', (error) => {
  process.stderr.write(`${tool}: the lab is not running (${error.code ?? error.message})\n`)
  finish(1)
})
socket.on('close', () => finish(1))

function finish(code) {
  if (done) return
  done = true
  socket.destroy()
  process.exitCode = code
}

function runLocal(local) {
  done = true
  socket.destroy()
  // The child owns the terminal now: Ctrl-C must reach it, not end this process and orphan it.
  for (const signal of ['SIGINT', 'SIGQUIT', 'SIGTSTP']) process.on(signal, () => {})
  const result = spawnSync(local[0], local.slice(1), { stdio: 'inherit' })
  process.exitCode = result.status ?? 128 + (result.signal === 'SIGKILL' ? 9 : 15)
}
