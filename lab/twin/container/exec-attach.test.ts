import { execFile } from 'node:child_process'
import { readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { type PtyTerminal, ptyTerminal } from '../../../support/pty-terminal.ts'

/**
 * exec-attach.pl on a terminal of node-pty, with the machine's own /dev/ptmx standing for a container's: what the
 * learner sees in an exec'd shell and back at their own prompt. The container's part (its own devpts, entering it)
 * is in exec-attach.lab.test.ts.
 */
const SCRIPT = fileURLToPath(new URL('exec-attach.pl', import.meta.url))

let term: PtyTerminal | undefined
afterEach(() => term?.pty.kill())

/** A `sh` on a new terminal of 100x30. */
function terminal(): PtyTerminal {
  term = ptyTerminal('sh', [], { env: { PATH: process.env.PATH!, PS1: 'outer$ ' } })
  return term
}

describe('exec-attach.pl', () => {
  it('runs a shell on a new pty it leads, raw, sized as the caller and following a resize, and gives the terminal back', async () => {
    const { pty, shows, type, screen } = terminal()
    await shows('outer$ ')
    const outer = readlinkSync(`/proc/${pty.pid}/fd/0`)
    type(`perl ${SCRIPT} /dev/ptmx 1 '' -- setsid -w -c env PS1='inner# ' sh\r`)
    await shows('inner# ')
    let mark = type('tty; stty size; ps -o sid= -p $$; echo $$\r')
    await shows(/\/dev\/pts\/\d+\r\n30 100\r\n *\d+\r\n\d+\r\ninner# $/, mark)
    const [tty, , sid, pid] = screen().slice(mark).split('\r\n').slice(1, 5)
    expect(tty).not.toBe(outer)
    // The shell leads its own session on that pty: job control is its own (no "Cannot set tty process group").
    expect(sid.trim()).toBe(pid)
    pty.resize(120, 40)
    mark = type('stty size\r')
    await shows('40 120\r\ninner# ', mark)
    // Ctrl-Z and Ctrl-C are bytes for the inner pty: they stop and interrupt the inner shell's job, not the relay.
    mark = type('sleep 30\r')
    await shows('sleep 30\r\n', mark)
    type('\x1a')
    await shows(/Stopped.*sleep 30/, mark)
    mark = type('fg\r')
    await shows('sleep 30\r\n', mark)
    type('\x03')
    await shows(/\^C\r\ninner# $/, mark)
    mark = type('exit 3\r')
    await shows('outer$ ', mark)
    mark = type('echo "code $?"; stty -a\r')
    await shows(/code 3\r\n[\s\S]* icanon [\s\S]*outer\$ $/, mark)
    expect(screen()).not.toContain('Cannot set tty process group')
    // Typed text echoes again at the caller's prompt.
    mark = type('echo back')
    await shows('echo back', mark)
  })

  it("feeds a terminal's input through a pipe when no tty is asked for: no tty, no prompt, Ctrl-D ends it", async () => {
    const { shows, type } = terminal()
    await shows('outer$ ')
    type(`perl ${SCRIPT} '' 1 '' -- sh; echo "code $?"\r`)
    const mark = type('tty\r')
    await shows('not a tty\r\n', mark)
    type('\x04')
    await shows('code 1\r\n', mark)
  })

  it('gives /dev/null without -i and prints the failure line with the exit code', async () => {
    const run = (args: string[], input: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile('perl', [SCRIPT, ...args], (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        )
        child.stdin!.end(input)
      })
    expect(await run(['', '', '', '--', 'cat'], 'not for cat\n')).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(await run(['', '', 'command terminated with exit code %d\n', '--', 'sh', '-c', 'exit 4'], '')).toEqual({
      code: 4,
      stdout: '',
      stderr: 'command terminated with exit code 4\n',
    })
  })
})
