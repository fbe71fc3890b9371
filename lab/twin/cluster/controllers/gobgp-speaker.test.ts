import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Http2Server } from 'node:http2'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fakeLab } from '../fake-lab.ts'
import { addPeerRequest, type PeerSpec } from './gobgp-add-peer.ts'
import { GobgpSpeaker, type RouterConfig } from './gobgp-speaker.ts'

type Answer = { exitCode: number; stdout: string; stderr: string }

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** How a recorded AddPeer call reads: the request's bytes, so that the test compares exactly what went out. */
const added = (peer: PeerSpec) => `AddPeer ${addPeerRequest(peer).toString('hex')}`

/**
 * A speaker whose gobgp CLI calls are recorded (no gobgpd: the fake lab gives every command `answer`), and whose
 * AddPeer calls reach a gRPC server on its API socket that records them and answers `grpcStatus`.
 */
async function recorded(
  slot = 0,
  answer: Answer = { exitCode: 0, stdout: '', stderr: '' },
  grpcStatus = { code: 0, message: '' },
) {
  const runDir = mkdtempSync(join(tmpdir(), 'speaker-test-'))
  const lab = fakeLab(runDir)
  const calls: string[] = []
  lab.run = async (argv) => {
    calls.push(argv.slice(3).join(' '))
    return answer
  }
  const speaker = new GobgpSpeaker(lab, 'clab-bgp-worker', slot)
  const server: Http2Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      calls.push(
        `${req.url === '/apipb.GobgpApi/AddPeer' ? 'AddPeer' : req.url} ${Buffer.concat(chunks).subarray(5).toString('hex')}`,
      )
      res.writeHead(200, { 'content-type': 'application/grpc' })
      res.addTrailers({
        'grpc-status': String(grpcStatus.code),
        'grpc-message': encodeURIComponent(grpcStatus.message),
      })
      // An OK answer carries google.protobuf.Empty (a zero-length message); an error none.
      if (grpcStatus.code === 0) res.end(Buffer.from([0, 0, 0, 0, 0]))
      else res.end()
    })
  })
  mkdirSync(dirname(speaker.socket), { recursive: true })
  await new Promise<void>((resolve) => server.listen(speaker.socket, resolve))
  cleanups.push(async () => {
    await new Promise((resolve) => server.close(resolve))
    rmSync(runDir, { recursive: true, force: true })
  })
  return { speaker, calls }
}

const base: RouterConfig = {
  asn: 65005,
  routerId: '10.1.5.11',
  neighbors: [{ address: '10.1.5.1', asn: 65005 }],
  listen: true,
}

describe('GobgpSpeaker.configure', () => {
  it('creates the BGP server, then its paths, then its neighbors, and says it created it', async () => {
    const { speaker, calls } = await recorded()
    expect(await speaker.configure(base, ['10.98.0.0/24'])).toBe(true)
    expect(calls).toEqual([
      'global as 65005 router-id 10.1.5.11 listen-port 179',
      'global rib add -a ipv4 10.98.0.0/24 origin igp',
      added({ address: '10.1.5.1', asn: 65005 }),
    ])
    expect(speaker.config).toEqual(base)
  })

  it('changes neighbors and paths through the API: removed ones first, then added ones; a changed peer ASN is both', async () => {
    const { speaker, calls } = await recorded()
    await speaker.configure(base, ['10.98.0.0/24'])
    calls.length = 0
    expect(await speaker.configure({ ...base, neighbors: [] }, ['10.98.0.0/24', '172.18.0.200/32'])).toBe(false)
    await speaker.configure(
      {
        ...base,
        neighbors: [
          { address: '10.1.5.1', asn: 65005 },
          { address: '10.1.5.2', asn: 65010 },
        ],
      },
      ['172.18.0.200/32'],
    )
    await speaker.configure(
      {
        ...base,
        neighbors: [
          { address: '10.1.5.1', asn: 65099 },
          { address: '10.1.5.2', asn: 65010 },
        ],
      },
      ['172.18.0.200/32'],
    )
    expect(calls).toEqual([
      'global rib add -a ipv4 172.18.0.200/32 origin igp',
      'neighbor del 10.1.5.1',
      'global rib del -a ipv4 10.98.0.0/24',
      added({ address: '10.1.5.1', asn: 65005 }),
      added({ address: '10.1.5.2', asn: 65010 }),
      'neighbor del 10.1.5.1',
      added({ address: '10.1.5.1', asn: 65099 }),
    ])
  })

  it('adds a neighbor with its timers, and resets one whose timers changed (removed, then added with the new ones)', async () => {
    const { speaker, calls } = await recorded()
    const timers = { connectRetry: 5, holdTime: 9, keepalive: 3 }
    await speaker.configure({ ...base, neighbors: [{ address: '10.1.5.1', asn: 65005, timers }] })
    await speaker.configure({ ...base, neighbors: [{ address: '10.1.5.1', asn: 65005, timers }] })
    await speaker.configure({
      ...base,
      neighbors: [{ address: '10.1.5.1', asn: 65005, timers: { ...timers, holdTime: 30 } }],
    })
    expect(calls.slice(1)).toEqual([
      added({ address: '10.1.5.1', asn: 65005, timers }),
      'neighbor del 10.1.5.1',
      added({ address: '10.1.5.1', asn: 65005, timers: { ...timers, holdTime: 30 } }),
    ])
  })

  it('fails with the GoBGP API error when AddPeer is refused', async () => {
    const { speaker } = await recorded(0, undefined, {
      code: 2,
      message: "can't overwrite the existing peer: 10.1.5.1",
    })
    await expect(speaker.configure(base)).rejects.toThrow(
      "gobgp neighbor add 10.1.5.1 (clab-bgp-worker): AddPeer 10.1.5.1: can't overwrite the existing peer: 10.1.5.1",
    )
  })

  it('replaces the server for another local ASN or router id, and stops it for no router', async () => {
    const { speaker, calls } = await recorded()
    await speaker.configure(base, ['10.98.0.0/24'])
    calls.length = 0
    expect(await speaker.configure({ ...base, asn: 65008 }, ['10.98.0.0/24'])).toBe(true)
    expect(await speaker.configure(null)).toBe(false)
    expect(await speaker.configure(null)).toBe(false)
    expect(calls).toEqual([
      'global del all',
      'global as 65008 router-id 10.1.5.11 listen-port 179',
      'global rib add -a ipv4 10.98.0.0/24 origin igp',
      added({ address: '10.1.5.1', asn: 65005 }),
      'global del all',
    ])
    expect(speaker.config).toBeNull()
  })

  it('puts a server that must not take the leaves connections on a loopback port of its own', async () => {
    const { speaker, calls } = await recorded(1)
    await speaker.configure({ ...base, neighbors: [], listen: false })
    expect(calls).toEqual(['global as 65005 router-id 10.1.5.11 listen-port 1791 listen-addresses 127.0.0.1'])
  })

  it('fails with the gobgp error when the API refuses a change', async () => {
    const { speaker } = await recorded(0, { exitCode: 1, stdout: '', stderr: 'can not find peer\n' })
    await expect(speaker.configure(base)).rejects.toThrow(
      'gobgp global as 65005 router-id 10.1.5.11 listen-port 179 (clab-bgp-worker): can not find peer',
    )
  })
})
