import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { connect, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TwinContext } from '../context.ts'
import { serveTools } from './server.ts'
import { writeShims } from './shims.ts'
import type { ToolHandler, ToolIO } from './tool.ts'

/** Connects to the unix socket named by its argument, and says how that went. */
const CONNECT =
  'socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die; print connect($s, pack_sockaddr_un($ARGV[0])) ? "connected\\n" : "refused: $!\\n"'

/** The shim -> socket -> handler round trip, with handlers that echo what they were given. */
let dir: string
let server: Server
const seen: ToolIO[] = []
const logged: string[] = []

const tools: Record<string, ToolHandler> = {
  echo: async (io) => {
    seen.push(io)
    io.stdout(`argv=${JSON.stringify(io.argv)} cwd=${io.cwd} stdin=${JSON.stringify(io.stdin)} tty=${io.tty}\n`)
    io.stderr('to stderr\n')
    return { exitCode: Number(io.env.WANT_EXIT ?? 0) }
  },
  local: async (io) => ({ execLocal: ['sh', '-c', `echo local "$@"; exit 7`, 'sh', ...io.argv] }),
  broken: async () => {
    throw new Error('handler bug')
  },
  // What `ps` shows of the calling client while it waits for this answer: every process naming argv[0] (a marker).
  cmdline: async (io) => {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let args = ''
      try {
        args = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      } catch {}
      if (args.includes(io.argv[0])) io.stdout(`${args.replace(/\0+$/, '').replaceAll('\0', ' ')}\n`)
    }
    return { exitCode: 0 }
  },
}

function shim(tool: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      join(dir, 'bin', tool),
      args,
      { cwd: dir, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
      },
    )
    child.stdin!.end(options.input ?? '')
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-server-'))
  const socket = join(dir, 'daemon.sock')
  writeShims(join(dir, 'bin'), socket, ['echo', 'local', 'broken', 'missing'])
  server = await serveTools(socket, tools, {} as TwinContext, (line) => logged.push(line))
})

afterAll(() => {
  server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('tool shims and the daemon socket', () => {
  it('forwards argv, cwd, env and piped stdin, and streams output and the exit code back', async () => {
    const result = await shim('echo', ['get', 'pods', '-o', 'wide'], { input: 'kind: Pod\n', env: { WANT_EXIT: '3' } })
    expect(result.code).toBe(3)
    expect(result.stdout).toBe(`argv=["get","pods","-o","wide"] cwd=${dir} stdin="kind: Pod\\n" tty=false\n`)
    expect(result.stderr).toBe('to stderr\n')
    expect(seen.at(-1)!.env.WANT_EXIT).toBe('3')
  })

  it('carries text that needs escaping both ways: quotes, backslashes, control characters and non-ASCII', async () => {
    const text = 'say "hi" \\ tab\there \u0001 ü ☺ 😀\n'
    const result = await shim('echo', [text], { input: text, env: { WANT_EXIT: '0' } })
    expect(seen.at(-1)!.argv).toEqual([text])
    expect(seen.at(-1)!.stdin).toBe(text)
    expect(result.stdout).toBe(`argv=${JSON.stringify([text])} cwd=${dir} stdin=${JSON.stringify(text)} tty=false\n`)
  })

  it('does not read stdin for docker/kubectl exec without -i', async () => {
    writeShims(join(dir, 'bin'), join(dir, 'daemon.sock'), ['docker'])
    tools.docker = tools.echo
    const result = await shim('docker', ['exec', 'clab-bgp-leaf0', 'ip', 'r'], { input: 'not for docker\n' })
    expect(result.stdout).toContain('stdin=null')
    const interactive = await shim('docker', ['exec', '-i', 'clab-bgp-leaf0', 'sh'], { input: 'echo hi\n' })
    expect(interactive.stdout).toContain('stdin="echo hi\\n"')
  })

  it("does not read stdin for a router's VyOS commands, so a script fed to bash keeps its rest", async () => {
    writeShims(join(dir, 'bin'), join(dir, 'daemon.sock'), ['vyos'])
    tools.vyos = tools.echo
    expect((await shim('vyos', ['clab-bgp-leaf0', 'show', 'ip', 'route'], { input: 'echo next\n' })).stdout).toContain(
      'stdin=null',
    )
  })

  it('shows in ps as the command typed, naming neither the client nor the socket', async () => {
    writeShims(join(dir, 'bin'), join(dir, 'daemon.sock'), ['cmdline'])
    const marker = `marker-${process.pid}`
    expect((await shim('cmdline', [marker, 'ps', '-a'])).stdout).toBe(`cmdline ${marker} ps -a\n`)
  })

  it('makes its socket for its owner only, whatever the umask, so no other user of the machine can drive the lab', async () => {
    const socket = join(dir, 'umask-0.sock')
    const umask = process.umask(0)
    const open = await serveTools(socket, tools, {} as TwinContext, () => undefined).finally(() => process.umask(umask))
    // The folder lets anyone through (as a lab's run dir does), so only the socket's own mode decides.
    chmodSync(dir, 0o711)
    try {
      expect((statSync(socket).mode & 0o777).toString(8)).toBe('600')
      const connectAs = (uid: number) =>
        new Promise<string>((resolve) =>
          execFile(
            'setpriv',
            [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'perl', '-MSocket', '-e', CONNECT, socket],
            (_error, stdout) => resolve(stdout),
          ),
        )
      expect(await connectAs(65534)).toBe('refused: Permission denied\n')
      expect(await connectAs(0)).toBe('connected\n')
    } finally {
      open.close()
      chmodSync(dir, 0o700)
    }
  })

  it('runs an execLocal answer itself, with its exit code', async () => {
    expect(await shim('local', ['a', 'b'])).toMatchObject({ code: 7, stdout: 'local a b\n' })
  })

  it('turns a handler failure into a failing command and keeps serving', async () => {
    const result = await shim('broken', [])
    expect(result).toMatchObject({ code: 1, stderr: 'broken: handler bug\n' })
    expect(logged.at(-1)).toContain('handler bug')
    expect((await shim('echo', [])).code).toBe(0)
  })

  it('drops a malformed request and keeps serving', async () => {
    const socket = connect(join(dir, 'daemon.sock'))
    socket.write('not json\n')
    await new Promise((resolve) => socket.on('close', resolve))
    expect(logged.at(-1)).toBe('dropped a malformed tool request: not json\n')
    expect((await shim('echo', [])).code).toBe(0)
  })

  it('says when a tool is not served and when the lab is not running', async () => {
    expect(await shim('missing', [])).toMatchObject({ code: 127, stderr: 'missing: not available in this lab\n' })
    writeShims(join(dir, 'bin'), join(dir, 'gone.sock'), ['orphan'])
    const orphan = await shim('orphan', [])
    expect(orphan.code).toBe(1)
    expect(orphan.stderr).toBe('orphan: the lab is not running (ENOENT)\n')
  })
})
