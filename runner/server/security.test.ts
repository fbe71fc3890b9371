import { hostname, networkInterfaces } from 'node:os'
import { expect, it } from 'vitest'
import { accessPolicy, sameToken } from './security.ts'

it('allows the loopback names by default and every local address on a wildcard bind', () => {
  const local = accessPolicy({
    path: '/__lab/ws',
    token: 't',
    port: 4242,
    host: '127.0.0.1',
    extraOrigins: ['http://localhost:5173'],
  })
  expect([...local.hosts].sort()).toEqual(['127.0.0.1:4242', '[::1]:4242', 'localhost:4242', 'localhost:5173'])
  expect(local.origins.has('http://localhost:5173')).toBe(true)
  const wildcard = accessPolicy({ path: '/__lab/ws', token: 't', port: 4242, host: '0.0.0.0' })
  expect(wildcard.hosts.has(`${hostname().toLowerCase()}:4242`)).toBe(true)
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
  if (address) expect(wildcard.origins.has(`http://${address}:4242`)).toBe(true)
})

it('compares tokens of any length without throwing', () => {
  expect(sameToken('abc', 'abc')).toBe(true)
  expect(sameToken('abc', 'abcd')).toBe(false)
  expect(sameToken('', 'abc')).toBe(false)
})
