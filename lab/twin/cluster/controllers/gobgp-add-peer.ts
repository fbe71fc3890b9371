import { connect, constants } from 'node:http2'
import { connect as connectSocket } from 'node:net'

/** A neighbor's BGP timers in seconds, as Cilium's CiliumBGPPeerConfig gives them to its GoBGP. */
export interface PeerTimers {
  connectRetry: number
  holdTime: number
  keepalive: number
}

/** What AddPeer needs to know of a neighbor. */
export interface PeerSpec {
  address: string
  asn: number
  timers?: PeerTimers
}

const varint = (value: number): number[] => {
  const bytes: number[] = []
  let v = value
  while (v > 0x7f) {
    bytes.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  bytes.push(v)
  return bytes
}
/** A protobuf field: varint (wire type 0) for numbers, length-delimited (2) for strings and messages. */
const field = (number: number, value: number | string | number[]): number[] => {
  if (typeof value === 'number') return value === 0 ? [] : [...varint(number << 3), ...varint(value)]
  const bytes = typeof value === 'string' ? [...Buffer.from(value)] : value
  return [...varint((number << 3) | 2), ...varint(bytes.length), ...bytes]
}

/**
 * GoBGP 3's AddPeerRequest (api/gobgp.proto, package apipb): Peer{conf(2): PeerConf{neighbor_address(4),
 * peer_asn(5)}, timers(6): Timers{config(1): TimersConfig{connect_retry(1), hold_time(2), keepalive_interval(3)}}}.
 * Cilium's agent sets the timers this way; the `gobgp neighbor add` CLI has no option for them.
 */
export function addPeerRequest(peer: PeerSpec): Buffer {
  const conf = [...field(4, peer.address), ...field(5, peer.asn)]
  const timers = peer.timers
    ? field(
        6,
        field(1, [
          ...field(1, peer.timers.connectRetry),
          ...field(2, peer.timers.holdTime),
          ...field(3, peer.timers.keepalive),
        ]),
      )
    : []
  return Buffer.from(field(1, [...field(2, conf), ...timers]))
}

/**
 * Calls GoBGP's AddPeer over gRPC (HTTP/2 with prior knowledge on the speaker's unix socket): one length-prefixed
 * message out, the status in the trailers. Rejects with GoBGP's message when the status is not OK.
 */
export function addPeer(socket: string, peer: PeerSpec, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = connect('http://localhost', { createConnection: () => connectSocket(socket) })
    const timer = setTimeout(
      () => fail(new Error(`AddPeer ${peer.address}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    )
    const fail = (error: Error) => {
      clearTimeout(timer)
      session.destroy()
      reject(error)
    }
    session.on('error', fail)
    const message = addPeerRequest(peer)
    const frame = Buffer.alloc(5 + message.length)
    frame.writeUInt32BE(message.length, 1)
    message.copy(frame, 5)
    const request = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: '/apipb.GobgpApi/AddPeer',
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      te: 'trailers',
    })
    // A status comes in the trailers, or in the headers of a trailers-only answer (an error before any message).
    let status: { code?: string; message?: string } = {}
    const read = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] !== undefined)
        status = {
          code: String(headers['grpc-status']),
          message: decodeURIComponent(String(headers['grpc-message'] ?? '')),
        }
    }
    request.on('response', read)
    request.on('trailers', read)
    request.on('data', () => undefined)
    request.on('error', fail)
    request.on('end', () => {
      clearTimeout(timer)
      session.close()
      if (status.code === '0') resolve()
      else reject(new Error(`AddPeer ${peer.address}: ${status.message || `grpc-status ${status.code ?? 'missing'}`}`))
    })
    request.end(frame)
  })
}
