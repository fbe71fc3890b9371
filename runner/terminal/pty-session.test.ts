import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { FinishedCommand } from './shell-integration.ts'
import { PtySession } from './pty-session.ts'
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
  const shell = wrapped ? { file: 'env', args: ['bash', '--norc', '-i'], env, cwd: dir } : { file: 'bash', args: ['-i'], env, cwd: dir }
  const s = new PtySession({ id: 'main', shell, rcFile: writeShellRc(dir) })
  sessions.push(s)
  return { session: s, dir }
}

/** The next time `command` finishes in `s`. */
function finished(s: PtySession, command: string): Promise<FinishedCommand> {
  return new Promise((resolve) => {
    const stop = s.onCommand((c) => c.command === command && (stop(), resolve(c)))
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
