import { expect, it } from 'vitest'
import { ShellIntegrationParser, type FinishedCommand } from './shell-integration.ts'

it('reads commands, exit codes and ANSI-stripped output, even with markers split across chunks', () => {
  const parser = new ShellIntegrationParser()
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  const stream =
    '\x1b]133;D;0\x07\x1b]133;A\x07lab$ \x1b]133;B\x07echo hi; false\r\n\x1b[?2004l\r\x1b]133;C\x07\x1b]633;E;echo hi; false\x07\x1b[32mhi\x1b[0m\r\n' +
    '\x1b]133;D;1\x07\x1b]133;A\x07lab$ \x1b]133;B\x07\r\n\x1b]133;D;1\x07\x1b]133;A\x07lab$ \x1b]133;B\x07' +
    'ls /x\r\n\x1b]133;C\x07\x1b]633;E;ls /x\x07ls: cannot access\r\n\x1b]133;D;2\x07'
  const bytes = Buffer.from(stream)
  for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7))
  expect(seen.map(({ command, exitCode, output }) => ({ command, exitCode, output }))).toEqual([
    { command: 'echo hi; false', exitCode: 1, output: 'hi' },
    { command: 'ls /x', exitCode: 2, output: 'ls: cannot access' },
  ])
  expect(parser.busy).toBe(false)
})

it('keeps markers after a title set with an ST-terminated OSC, and passes foreign OSCs through', () => {
  const parser = new ShellIntegrationParser()
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  parser.push(Buffer.from('\x1b]133;C\x07\x1b]633;E;printf x\x07\x1b]0;title\x1b\\x\x1b]8;;http://a\x07link\x1b]8;;\x07\x1b'))
  parser.push(Buffer.from(']133;D;0\x07'))
  expect(seen.map((c) => [c.command, c.exitCode, c.output])).toEqual([['printf x', 0, 'xlink']])
})

it('keeps the output of reads without any ESC, also after a marker split across reads', () => {
  const parser = new ShellIntegrationParser()
  const seen: FinishedCommand[] = []
  parser.onCommand((c) => seen.push(c))
  for (const chunk of ['\x1b]133;C\x07\x1b]633;E;yes\x07', 'aaaa ', 'bbbb\x1b', '[1mcc\x1b[0m', 'dd\x1b]133', ';D;0\x07\x1b]133;C\x07\x1b]633;E;true\x07', '\x1b]133;D', ';3\x07']) {
    parser.push(Buffer.from(chunk))
  }
  expect(seen.map((c) => [c.command, c.exitCode, c.output])).toEqual([
    ['yes', 0, 'aaaa bbbbccdd'],
    ['true', 3, ''],
  ])
})
