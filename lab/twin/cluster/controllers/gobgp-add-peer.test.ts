import { expect, it } from 'vitest'
import { addPeerRequest } from './gobgp-add-peer.ts'

it('encodes AddPeerRequest{peer{conf{neighbor_address, peer_asn}, timers{config{connect_retry, hold_time, keepalive_interval}}}}', () => {
  const bytes = addPeerRequest({
    address: '10.1.5.1',
    asn: 65005,
    timers: { connectRetry: 5, holdTime: 9, keepalive: 3 },
  })
  const conf = [0x22, 8, ...Buffer.from('10.1.5.1'), 0x28, 0xed, 0xfb, 0x03]
  const timers = [0x32, 8, 0x0a, 6, 0x08, 5, 0x10, 9, 0x18, 3]
  expect([...bytes]).toEqual([0x0a, 2 + conf.length + timers.length, 0x12, conf.length, ...conf, ...timers])
})

it('leaves the timers out when there are none (GoBGP applies its defaults)', () => {
  expect([...addPeerRequest({ address: '1.1.1.1', asn: 1 })]).toEqual([
    0x0a,
    13,
    0x12,
    11,
    0x22,
    7,
    ...Buffer.from('1.1.1.1'),
    0x28,
    1,
  ])
})
