/**
 * Holds a server to `max` sockets, so that a flood of idle ones cannot take every file descriptor, without letting
 * that flood lock out the people the server is for. Node's own `server.maxConnections` drops every connection past
 * the cap: a page or learner arriving during a flood was refused for as long as it lasted. Here a connection past
 * the cap makes room instead, by closing a socket that has not proved anything yet: of the address holding the most
 * such sockets (an IPv6 /64 counts as one), its oldest. A socket the server trusts (a WebSocket that passed its
 * token, a hub client that authenticated) is never closed for room; when every held socket is trusted, the new one
 * is closed.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { addressKey } from './address-key.ts'

export interface ConnectionCap {
  /** Marks `socket` as proven: it is no longer closed to make room. */
  trust(socket: Socket): void
}

export function capConnections(server: Server, max: number): ConnectionCap {
  // Insertion order is age: the first untrusted entry of an address is its oldest socket.
  const held = new Map<Socket, { address: string; trusted: boolean }>()

  const oldestOfBusiestAddress = (): Socket | undefined => {
    const counts = new Map<string, number>()
    for (const entry of held.values())
      if (!entry.trusted) counts.set(entry.address, (counts.get(entry.address) ?? 0) + 1)
    let busiest: string | undefined
    for (const [address, count] of counts) if (busiest === undefined || count > counts.get(busiest)!) busiest = address
    for (const [socket, entry] of held) if (!entry.trusted && entry.address === busiest) return socket
    return undefined
  }

  server.on('connection', (socket: Socket) => {
    if (held.size >= max) {
      const room = oldestOfBusiestAddress()
      if (!room) return void socket.destroy()
      held.delete(room)
      room.destroy()
    }
    held.set(socket, { address: addressKey(socket.remoteAddress ?? ''), trusted: false })
    socket.once('close', () => held.delete(socket))
  })

  return {
    trust(socket) {
      const entry = held.get(socket)
      if (entry) entry.trusted = true
    },
  }
}
