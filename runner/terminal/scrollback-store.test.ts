import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { PtySession } from './pty-session.ts'
import { ScrollbackStore } from './scrollback-store.ts'
import { writeShellRc } from './shell-rc.ts'

const dirs: string[] = []
const sessions: PtySession[] = []
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function shellIn(dir: string) {
  return {
    file: 'bash',
    args: ['--norc', '-i'],
    env: { ...(process.env as Record<string, string>), HOME: dir, HISTFILE: '/dev/null', LAB_PS1: 'lab$ ' },
    cwd: dir,
  }
}

function session(dir: string, history?: Buffer): PtySession {
  const s = new PtySession({ id: 'main', shell: shellIn(dir), rcFile: writeShellRc(dir), history })
  sessions.push(s)
  return s
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
  if (!done()) throw new Error(`timed out waiting for ${what}`)
}

const text = (s: PtySession) => s.replay(0).data.toString()

it("saves what a terminal printed and gives it back, with a line in the learner's language, to its next shell", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrollback-'))
  dirs.push(dir)
  const store = new ScrollbackStore(join(dir, 'terminals'))
  expect(store.history('main', 'en')).toBeNull()
  const first = session(dir)
  const stop = store.follow(first)
  first.write('echo saved-$((6*7))\r')
  await until('the echo', () => text(first).includes('saved-42'))
  stop()
  expect(readFileSync(join(dir, 'terminals', 'main.out'), 'utf8')).toBe(text(first))

  const history = store.history('main', 'en')!
  expect(history.toString()).toMatch(/saved-42[\s\S]*── above: this terminal's earlier output; below: a new shell ──/)
  expect(store.history('main', 'zh')!.toString()).toContain('以上是这个终端之前的输出，下面是新的 shell')
  const next = session(dir, history)
  next.write('echo fresh-$((6*8))\r')
  await until('the new echo', () => text(next).includes('fresh-48'))
  // Old output first, then the new shell's, each once: the replay a page attaches to.
  const replay = text(next)
  expect(replay.startsWith(history.toString())).toBe(true)
  expect(replay.split('saved-42').length - 1).toBe(text(first).split('saved-42').length - 1)
})

it('saves while output flows, throttled, and keeps the last bytes from a line start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrollback-'))
  dirs.push(dir)
  const store = new ScrollbackStore(join(dir, 'terminals'), { keepBytes: 200, saveMs: 50 })
  const s = session(dir)
  store.follow(s)
  s.write('for i in $(seq 1 100); do echo line-$i; done\r')
  await until('the last line', () => text(s).includes('line-100'))
  const file = join(dir, 'terminals', 'main.out')
  await until('a save after the last line', () => existsSync(file) && readFileSync(file, 'utf8').includes('line-100'))
  const saved = readFileSync(file, 'utf8')
  expect(saved.length).toBeLessThanOrEqual(200)
  expect(saved).not.toContain('line-1\r')
  expect(saved).toMatch(/^line-\d+\r\n/)
})

it('keeps the terminal, and the process, when a save fails, and saves again once it can', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrollback-'))
  dirs.push(dir)
  // The folder's path taken by a file: every save fails, as it does on a full disk or with no file descriptor left.
  writeFileSync(join(dir, 'terminals'), '')
  const failures = vi.spyOn(console, 'error').mockImplementation(() => undefined)
  const store = new ScrollbackStore(join(dir, 'terminals'), { saveMs: 10 })
  const shell = session(dir)
  const stop = store.follow(shell)
  shell.write('echo before-$((6*7))\r')
  await until('a failed save', () => failures.mock.calls.some(([line]) => String(line).includes('terminal main')))
  failures.mockRestore()
  rmSync(join(dir, 'terminals'))
  shell.write('echo after-$((6*8))\r')
  await until('a save after the failure', () => existsSync(join(dir, 'terminals', 'main.out')))
  await until('the second echo saved', () =>
    readFileSync(join(dir, 'terminals', 'main.out'), 'utf8').includes('after-48'),
  )
  stop()
  expect(readFileSync(join(dir, 'terminals', 'main.out'), 'utf8')).toContain('before-42')
})
