import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { DAEMON_LOG_LINE_MAX, followDaemonLog } from './daemon-log.ts'

function follow(): { stream: PassThrough; lines: string[]; ended: Promise<void> } {
  const stream = new PassThrough()
  const lines: string[] = []
  followDaemonLog(stream, (line) => lines.push(line))
  return { stream, lines, ended: new Promise((resolve) => stream.on('end', resolve)) }
}

describe('the twin daemon log', () => {
  it('passes lines on as they end, across chunks, and the last one at the end', async () => {
    const { stream, lines, ended } = follow()
    stream.write('[twin] one\n[twin] t')
    stream.write('wo\n\n[twin] thr')
    stream.end('ee')
    await ended
    expect(lines).toEqual(['[twin] one', '[twin] two', '', '[twin] three'])
  })

  it('cuts a line with no end written into it, and holds no more of it than it passes on', async () => {
    const { stream, lines, ended } = follow()
    // 16 MiB in 64 KiB writes, no newline: what a learner who took the daemon's stderr can send (no limit but time).
    const piece = 'a'.repeat(64 * 1024)
    for (let i = 0; i < 256; i++) stream.write(piece)
    stream.end('\n[twin] next\n')
    await ended
    expect(lines).toEqual([`${'a'.repeat(DAEMON_LOG_LINE_MAX)} [cut]`, '[twin] next'])
  })

  it('keeps a multi-byte character split across chunks whole', async () => {
    const { stream, lines, ended } = follow()
    const text = Buffer.from('[twin] 路由\n')
    stream.write(text.subarray(0, 9))
    stream.end(text.subarray(9))
    await ended
    expect(lines).toEqual(['[twin] 路由'])
  })
})
