/**
 * The four terminal paths the benchmark compares, each with the CPU it spends reading, so a slower path can be
 * explained: raw node-pty and the runner's session are read in this process; the runner is a process of its own
 * (as in real use) and this process plays the browser (decodes frames, acknowledges them in batches as the site does);
 * the minimal forwarder is a process of its own too, the reference for what the process hop alone costs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import pty from 'node-pty'
import WebSocket from 'ws'
import type { ShellSpec } from '../../lab/backend.ts'
import { AckBatcher } from '../../protocol/ack-batcher.ts'
import {
  type ClientMessage,
  decodeOutputFrame,
  LAB_TOKEN_PROTOCOL_PREFIX,
  LAB_WS_PATH,
  LAB_WS_PROTOCOL,
} from '../../protocol/messages.ts'
import runnerNodeFlags from '../../runner/node-flags.json' with { type: 'json' }
import { PtySession } from '../../runner/terminal/pty-session.ts'
import { withShellIntegration } from '../../runner/terminal/shell-rc.ts'
import { root } from '../../support/fixture-site.ts'
import type { Transport } from './measure.ts'

export interface OpenTransport {
  transport: Transport
  /** CPU ms spent so far by this process (the reader, or the client playing the browser; not the runner process). */
  cpuMs(): number
  close(): void
}

/** CPU of this process (every thread), in ms. */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** node-pty read directly, decoded as text by node-pty as a plain embedder would. */
export function rawTransport(shell: ShellSpec, rcFile: string): OpenTransport {
  const spec = withShellIntegration(shell, rcFile)
  const p = pty.spawn(spec.file, spec.args, {
    name: 'xterm-256color',
    cols: 120,
    rows: 30,
    cwd: shell.cwd,
    env: spec.env,
  })
  const listeners: ((text: string) => void)[] = []
  p.onData((data) => listeners.forEach((l) => l(data)))
  return {
    transport: { write: (d) => p.write(d), onOutput: (l) => void listeners.push(l) },
    cpuMs: ownCpuMs,
    close: () => p.kill('SIGKILL'),
  }
}

/** The runner's own terminal session (pty, shell-integration parser, replay buffer) in this process, without the socket. */
export function sessionTransport(shell: ShellSpec, rcFile: string): OpenTransport {
  const session = new PtySession({ id: 'bench', shell, rcFile, cols: 120, rows: 30 })
  const listeners: ((text: string) => void)[] = []
  session.onOutput((_seq, data) => listeners.forEach((l) => l(data.toString('latin1'))))
  return {
    transport: { write: (d) => session.write(d), onOutput: (l) => void listeners.push(l) },
    cpuMs: ownCpuMs,
    close: () => void session.dispose(),
  }
}

/** A process of its own that serves a terminal over a WebSocket: its address, its CPU, and how to stop it. */
export interface ServerProcess {
  url: string
  /** CPU ms of that process so far (from /proc, 10 ms resolution). */
  cpuMs(): number
  stop(): Promise<void>
}

export interface RunnerProcess extends ServerProcess {
  token: string
}

/**
 * Starts `script` (under bench/terminal) in a Node process of its own and reads the JSON line it prints once it
 * listens. `BENCH_RUNNER_NODE_ARGS` adds Node flags to that process only, to profile it (`--cpu-prof
 * --cpu-prof-dir=DIR`, `--perf-basic-prof`; Node refuses --cpu-prof in NODE_OPTIONS).
 */
async function startServerProcess<T extends { url: string }>(
  script: string,
  args: string[] = [],
  flags: string[] = [],
): Promise<T & ServerProcess> {
  const nodeArgs = [...flags, ...(process.env.BENCH_RUNNER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
  const child = execa(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(root, 'bench/terminal', script), ...args],
    { cwd: root, buffer: false, stdout: 'pipe', stderr: 'inherit' },
  )
  // The address line, after whatever a diagnostic flag (--trace-*, --log-*) prints first.
  const line = await new Promise<string>((resolve) => {
    let text = ''
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString()
      const found = text.split('\n').find((l) => l.startsWith('{"url"'))
      if (found) resolve(found)
    })
  })
  const cpuMs = () => {
    // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  }
  return {
    ...(JSON.parse(line) as T),
    cpuMs,
    stop: async () => {
      child.kill('SIGTERM')
      await child.catch(() => undefined)
    },
  }
}

/** The runner under test with a fixture lab (bench/terminal/serve-fixture.ts), with the runner's own Node flags. */
export function startRunnerProcess(): Promise<RunnerProcess> {
  return startServerProcess<{ url: string; token: string }>('serve-fixture.ts', [], runnerNodeFlags)
}

/** The minimal forwarder (bench/terminal/serve-forwarder.ts) running the same shell as the other paths. */
export function startForwarderProcess(shell: ShellSpec, rcFile: string): Promise<ServerProcess> {
  const spec = withShellIntegration(shell, rcFile)
  return startServerProcess('serve-forwarder.ts', [JSON.stringify({ ...spec, cwd: shell.cwd })])
}

/** Plays the browser against the forwarder: each message is output, nothing is acknowledged. */
export async function forwarderTransport(forwarder: ServerProcess): Promise<OpenTransport> {
  const socket = new WebSocket(forwarder.url, { perMessageDeflate: false })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const listeners: ((text: string) => void)[] = []
  socket.on('message', (data) => {
    const text = (data as Buffer).toString('latin1')
    listeners.forEach((l) => l(text))
  })
  return {
    transport: { write: (d) => socket.send(d), onOutput: (l) => void listeners.push(l) },
    cpuMs: ownCpuMs,
    close: () => socket.close(),
  }
}

/** Plays the browser against the runner process: decodes frames and acknowledges them with the site's AckBatcher. */
export async function runnerTransport(runner: RunnerProcess, terminal: string): Promise<OpenTransport> {
  const socket = new WebSocket(
    new URL(LAB_WS_PATH, runner.url).href.replace(/^http/, 'ws'),
    [LAB_WS_PROTOCOL, LAB_TOKEN_PROTOCOL_PREFIX + runner.token],
    { origin: new URL(runner.url).origin, perMessageDeflate: false },
  )
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const send = (message: ClientMessage) => socket.send(JSON.stringify(message))
  const listeners: ((text: string) => void)[] = []
  const acks = new AckBatcher((bytes) => send({ type: 'ack', terminal, bytes }))
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return
    const frame = decodeOutputFrame(new Uint8Array(data as Buffer))
    if (!frame) return
    const text = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength).toString('latin1')
    listeners.forEach((l) => l(text))
    acks.written(frame.data.length)
  })
  send({ type: 'attach', terminal, fromSeq: 0, cols: 120, rows: 30 })
  return {
    transport: { write: (d) => send({ type: 'input', terminal, data: d }), onOutput: (l) => void listeners.push(l) },
    cpuMs: ownCpuMs,
    close: () => socket.close(),
  }
}
