import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { PtySession } from './pty-session.ts'
import type { FinishedCommand } from './shell-integration.ts'
import { writeShellRc } from './shell-rc.ts'

const dirs: string[] = []
const sessions: PtySession[] = []
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A session whose bash loads the rc as `--rcfile`, or (wrapped, as a lab's `ip netns exec ... bash`) through PROMPT_COMMAND. */
function session(wrapped: boolean): { session: PtySession; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pty-session-'))
  dirs.push(dir)
  const env = { ...(process.env as Record<string, string>), HOME: dir, HISTFILE: '/dev/null', LAB_PS1: 'lab$ ' }
  const shell = wrapped
    ? { file: 'env', args: ['bash', '--norc', '-i'], env, cwd: dir }
    : { file: 'bash', args: ['-i'], env, cwd: dir }
  const s = new PtySession({ id: 'main', shell, rcFile: writeShellRc(dir) })
  sessions.push(s)
  return { session: s, dir }
}

/** The next time `command` finishes in `s`. */
function finished(s: PtySession, command: string): Promise<FinishedCommand> {
  return new Promise((resolve) => {
    const stop = s.onCommand((c) => {
      if (c.command !== command) return
      stop()
      resolve(c)
    })
  })
}

for (const wrapped of [false, true]) {
  it(`marks commands with a nonce its programs do not inherit (rc loaded ${wrapped ? 'through PROMPT_COMMAND' : 'as --rcfile'})`, async () => {
    const { session: s, dir } = session(wrapped)
    const first = finished(s, 'env > env.txt; echo "a;b"')
    s.write('env > env.txt; echo "a;b"\r')
    expect(await first).toMatchObject({ exitCode: 0, output: 'a;b' })
    const nonce = /\x1b\]133;C;([0-9a-f]{32})\x07/.exec(s.replay(0).data.toString())?.[1]
    expect(nonce).toBeDefined()
    const env = readFileSync(join(dir, 'env.txt'), 'utf8')
    expect(env).toContain('LAB_PS1=')
    expect(env).not.toContain(nonce)
    expect(env).not.toContain('NONCE')

    // A bash started from this one neither knows the nonce nor trips over the hooks it did not load.
    const nested = finished(s, 'bash --norc -i')
    s.write('bash --norc -i\r')
    s.write('echo "inner:$__lab_nonce:"; exit 3\r')
    const inner = await nested
    expect(inner.exitCode).toBe(3)
    expect(inner.output).toContain('inner::')
    expect(inner.output).not.toContain('command not found')
  })
}

/** Resolves once `test` holds, checked on each output of `s`. */
function outputUntil(s: PtySession, test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test()) return resolve()
    const stop = s.onOutput(() => {
      if (!test()) return
      stop()
      resolve()
    })
  })
}

function tabAway(replayBytes: number): { s: PtySession; left: Promise<number> } {
  const dir = mkdtempSync(join(tmpdir(), 'pty-session-'))
  dirs.push(dir)
  const env = { ...(process.env as Record<string, string>), HOME: dir, HISTFILE: '/dev/null', LAB_PS1: 'lab$ ' }
  const s = new PtySession({
    id: 'main',
    shell: { file: 'bash', args: ['-i'], env, cwd: dir },
    rcFile: writeShellRc(dir),
    replayBytes,
  })
  sessions.push(s)
  // A tab reads up to the first prompt, acknowledges it all, and goes (hidden, reloading, or its socket lost).
  const left = outputUntil(s, () => s.replay(0).data.includes('lab$ ')).then(() => {
    const tab = {}
    s.read(tab, s.seq)
    s.leave(tab)
    return s.seq
  })
  return { s, left }
}

it('keeps all the output a tab that left has not seen, past the replay size, and holds the program instead of dropping it', async () => {
  const { s, left } = tabAway(64 * 1024)
  const from = await left
  s.write('seq 1 200000; echo END-$((6*7))\r')
  await outputUntil(s, () => s.seq - from >= 64 * 1024)
  // Away for a while: far more than 64 KiB would have been printed (1.3 MB in all).
  await new Promise((resolve) => setTimeout(resolve, 500))
  const away = s.replay(from)
  expect(away.reset).toBe(false)
  expect(away.data.length).toBeLessThan(1024 * 1024)
  // Back: the replay, then the rest as it comes.
  const back = {}
  const rest: Buffer[] = []
  s.onOutput((_seq, data) => rest.push(data))
  s.read(back, from)
  await outputUntil(s, () => Buffer.concat(rest).includes('END-42'))
  const text = Buffer.concat([away.data, ...rest])
    .toString()
    .replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]|\r/g, '')
  const lines = text.split('\n').filter((line) => /^\d+$/.test(line))
  expect(lines.length).toBe(200000)
  expect(lines.every((line, i) => line === String(i + 1))).toBe(true)
})

it('ends a shell whose output is held for a tab that left', async () => {
  const { s, left } = tabAway(64 * 1024)
  const from = await left
  s.write('yes\r')
  await outputUntil(s, () => s.seq - from >= 64 * 1024)
  await s.dispose()
  expect(s.alive).toBe(false)
})
