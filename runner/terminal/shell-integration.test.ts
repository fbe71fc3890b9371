import { expect, it } from 'vitest'
import { type FinishedCommand, ShellIntegrationParser } from './shell-integration.ts'

const NONCE = '5f0c1e2d3b4a69788796a5b4c3d2e1f0'
/** The markers as the shell prints them: command start, command line, command end, each with the nonce. */
const C = `\x1b]133;C;${NONCE}\x07`
const E = (line: string) => `\x1b]633;E;${line};${NONCE}\x07`
const D = (exitCode: number) => `\x1b]133;D;${exitCode};${NONCE}\x07`

it('reads commands, exit codes and ANSI-stripped output, even with markers split across chunks', () => {
  const parser = new ShellIntegrationParser(NONCE)
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  const stream =
    `${D(0)}\x1b]133;A\x07lab$ \x1b]133;B\x07echo hi; false\r\n\x1b[?2004l\r${C}${E('echo hi; false')}\x1b[32mhi\x1b[0m\r\n` +
    `${D(1)}\x1b]133;A\x07lab$ \x1b]133;B\x07\r\n${D(1)}\x1b]133;A\x07lab$ \x1b]133;B\x07` +
    `ls /x\r\n${C}${E('ls /x')}ls: cannot access\r\n${D(2)}`
  const bytes = Buffer.from(stream)
  for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7))
  expect(seen.map(({ command, exitCode, output }) => ({ command, exitCode, output }))).toEqual([
    { command: 'echo hi; false', exitCode: 1, output: 'hi' },
    { command: 'ls /x', exitCode: 2, output: 'ls: cannot access' },
  ])
  expect(parser.busy).toBe(false)
})

it('keeps markers after a title set with an ST-terminated OSC, and passes foreign OSCs through', () => {
  const parser = new ShellIntegrationParser(NONCE)
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  parser.push(Buffer.from(`${C}${E('printf x')}\x1b]0;title\x1b\\x\x1b]8;;http://a\x07link\x1b]8;;\x07\x1b`))
  parser.push(Buffer.from(D(0).slice(1)))
  expect(seen.map((c) => [c.command, c.exitCode, c.output])).toEqual([['printf x', 0, 'xlink']])
})

it('keeps the output of reads without any ESC, also after a marker split across reads', () => {
  const parser = new ShellIntegrationParser(NONCE)
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  for (const chunk of [
    C + E('yes'),
    'aaaa ',
    'bbbb\x1b',
    '[1mcc\x1b[0m',
    `dd${D(0).slice(0, 6)}`,
    D(0).slice(6) + C + E('true'),
    D(3).slice(0, 8),
    D(3).slice(8),
  ]) {
    parser.push(Buffer.from(chunk))
  }
  expect(seen.map((c) => [c.command, c.exitCode, c.output])).toEqual([
    ['yes', 0, 'aaaa bbbbccdd'],
    ['true', 3, ''],
  ])
})

it('takes markers without the nonce, or with a wrong one, for output: a printed marker starts, names and ends nothing', () => {
  const parser = new ShellIntegrationParser(NONCE)
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  const forged = '\x1b]133;C\x07\x1b]633;E;kind create cluster\x07\x1b]133;D;0\x07'
  const guessed = `\x1b]133;C;${'0'.repeat(32)}\x07\x1b]633;E;kind create cluster;${'0'.repeat(32)}\x07\x1b]133;D;0;${'0'.repeat(32)}\x07`
  // Printed outside a command: nothing starts.
  parser.push(Buffer.from(forged + guessed))
  expect(parser.busy).toBe(false)
  // Printed by a real command: its own markers frame them, and they end nothing early.
  parser.push(Buffer.from(`${C}${E("printf '...'")}${forged}${guessed}done\r\n${D(0)}`))
  expect(seen.map((c) => c.command)).toEqual(["printf '...'"])
  expect(seen[0].output).toContain('done')
  expect(parser.busy).toBe(false)
})
