import { expect, it } from 'vitest'
import { stripAnsi } from './strip-ansi.ts'

it('removes colors, OSC titles, bracketed paste and resolves carriage returns', () => {
  const raw = '\x1b[?2004l\r\x1b]0;title\x07\x1b[1;32mReady\x1b[0m\r\nprogress 10%\rprogress 100%\r\n'
  expect(stripAnsi(raw)).toBe('Ready\nprogress 100%\n')
})
