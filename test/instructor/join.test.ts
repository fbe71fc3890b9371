/** The join client on its own: join links, refusals that must not turn into a reconnect loop, mirror batching. */
import { describe, expect, it } from 'vitest'
import { createHub } from '../../instructor/hub/create-hub.ts'
import { connectToHub, parseJoinLink } from '../../instructor/join.ts'
import { MirrorBatcher } from '../../instructor/mirror-batcher.ts'
import { recordingRunner, useHub, waitFor } from '../../support/hub-clients.ts'

const ctx = useHub({ chapters: [{ id: 'lab-setup', order: 1, title: 'Lab setup' }] })

describe('join client', () => {
  it('reads the hub and the code from the class join link', () => {
    expect(parseJoinLink('http://10.0.0.5:4400/instructor#code=ABCDE-FGHJK')).toEqual({
      url: 'http://10.0.0.5:4400',
      code: 'ABCDE-FGHJK',
    })
    expect(parseJoinLink('http://10.0.0.5:4400/', 'XYZ')).toEqual({ url: 'http://10.0.0.5:4400', code: 'XYZ' })
    expect(() => parseJoinLink('http://10.0.0.5:4400/')).toThrow(/HUB_BAD_JOIN_LINK: .*no workshop code/)
    expect(() => parseJoinLink('not a link')).toThrow(/HUB_BAD_JOIN_LINK: --join not a link: not a URL/)
  })

  it('joins with the code taken from the join link', async () => {
    const connection = connectToHub({ url: ctx.hub.joinLink, code: '', name: 'Ada', runner: recordingRunner().hooks })
    ctx.connections.push(connection)
    const { learnerId } = await connection.joined
    expect(ctx.hub.core.store.get(learnerId)?.name).toBe('Ada')
  })

  it('gives up instead of retrying when the hub refuses the code or the message', async () => {
    const states: string[] = []
    const wrong = connectToHub({
      url: ctx.hub.url,
      code: 'WRONG-CODE0',
      name: 'Eve',
      runner: recordingRunner().hooks,
      minBackoffMs: 10,
      onState: (s) => states.push(s),
    })
    ctx.connections.push(wrong)
    await expect(wrong.joined).rejects.toThrow(/refused: HUB_BAD_CODE/)
    // A retry is always announced as 'disconnected' first; 'refused' is final and was reported when `joined` settled.
    expect(states).toEqual(['connecting', 'refused'])
    const badName = connectToHub({
      url: ctx.hub.joinLink,
      code: '',
      name: '<script>',
      runner: recordingRunner().hooks,
      minBackoffMs: 10,
    })
    ctx.connections.push(badName)
    await expect(badName.joined).rejects.toThrow(/refused: HUB_BAD_MESSAGE: hello: name/)
  })

  it('reports a runner hook that throws and keeps the link up', async () => {
    const runner = recordingRunner()
    const errors: unknown[] = []
    runner.hooks.setPace = () => {
      throw new Error('pace store unavailable')
    }
    const connection = connectToHub({
      url: ctx.hub.joinLink,
      code: '',
      name: 'Ada',
      runner: runner.hooks,
      onError: (e) => errors.push(e),
    })
    ctx.connections.push(connection)
    const { learnerId } = await connection.joined
    await waitFor(() => errors.length === 1, 'the failing hook reported')
    expect(String(errors[0])).toContain('pace store unavailable')
    ctx.hub.core.notify(learnerId, { kind: 'hint', text: 'still here' })
    await waitFor(() => runner.state.notices.length === 1, 'the next instruction applied')
    expect(connection.state).toBe('joined')
  })

  it('joins a restarted hub again as a new row (the old token is unknown there)', async () => {
    const chapters = [{ id: 'lab-setup', order: 1, title: 'Lab setup' }]
    const first = await createHub({ chapters, workshopCode: 'SAME-CODE00' })
    const port = Number(new URL(first.url).port)
    const runner = recordingRunner()
    const connection = connectToHub({
      url: first.url,
      code: 'SAME-CODE00',
      name: 'Ada',
      runner: runner.hooks,
      minBackoffMs: 20,
      maxBackoffMs: 100,
    })
    ctx.connections.push(connection)
    await connection.joined
    await first.close()
    const second = await createHub({ chapters, workshopCode: 'SAME-CODE00', port })
    try {
      const row = await waitFor(
        () => second.core.store.list().find((l) => l.name === 'Ada' && l.connected),
        'Ada on the restarted hub',
        5000,
      )
      runner.emit({ type: 'chapter-opened', at: 1, chapterId: 'lab-setup' })
      await waitFor(() => second.core.store.get(row.id)?.chapterId === 'lab-setup', 'events flow to the new hub')
    } finally {
      connection.close()
      await second.close()
    }
  })

  it('batches mirrored output into protocol-sized chunks without splitting a UTF-8 character', async () => {
    const sent: string[] = []
    const batcher = new MirrorBatcher(4, (_id, data) => sent.push(data), 5)
    let push: (data: Buffer) => void = () => undefined
    batcher.start('main', (listener) => {
      push = listener
      return () => undefined
    })
    const bytes = Buffer.from('ab€cdefg')
    push(bytes.subarray(0, 3)) // "ab" + the first byte of "€"
    push(bytes.subarray(3))
    await waitFor(() => sent.length > 0 && sent, 'a flush')
    expect(sent.join('')).toBe('ab€cdefg')
    expect(sent.every((chunk) => chunk.length <= 4)).toBe(true)
    batcher.stopAll()
  })
})
