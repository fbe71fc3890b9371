import { describe, expect, it } from 'vitest'
import { addressKey } from '../../http/address-key.ts'
import { WorkshopCode } from './workshop-code.ts'

function clock() {
  const at = { now: 1_000_000 }
  return { at, now: () => at.now }
}

describe('workshop code guesses', () => {
  it('refuses every code, the right one too, from an address past its wrong ones, until the window ends', () => {
    const { at, now } = clock()
    const code = new WorkshopCode('ABCDE-FGHJK', { maxWrong: 3, windowMs: 60_000, now })
    expect(code.check('ABCDE-FGHJK', '10.0.0.1')).toBeUndefined()
    for (const guess of ['AAAAA-AAAAA', 'AAAAA-AAAAB', 'AAAAA-AAAAC'])
      expect(code.check(guess, '10.0.0.1')).toMatchObject({ code: 'HUB_BAD_CODE' })
    at.now += 15_000
    expect(code.check('ABCDE-FGHJK', '10.0.0.1')).toEqual({
      code: 'HUB_TOO_MANY_CODES',
      message: '3 wrong workshop codes from this address within 60 s: try again in 45 s',
      retryAfter: 45,
    })
    // Refused tries are not counted: the address is free again when the first window ends.
    expect(code.check('ABCDE-FGHJK', '10.0.0.2')).toBeUndefined()
    at.now += 45_000
    expect(code.check('ABCDE-FGHJK', '10.0.0.1')).toBeUndefined()
  })

  it('counts an IPv4 address as itself, mapped into IPv6 or not, and an IPv6 address by its /64', () => {
    const { now } = clock()
    const code = new WorkshopCode('RIGHT', { maxWrong: 2, now })
    code.check('x', '::ffff:192.0.2.7')
    code.check('x', '192.0.2.7')
    expect(code.check('RIGHT', '192.0.2.7')?.code).toBe('HUB_TOO_MANY_CODES')
    code.check('x', '2001:db8:1:2::1')
    code.check('x', '2001:db8:1:2:ffff:ffff:ffff:ffff')
    expect(code.check('RIGHT', '2001:db8:1:2:abcd::9')?.code).toBe('HUB_TOO_MANY_CODES')
    expect(code.check('RIGHT', '2001:db8:1:3::1')).toBeUndefined()
  })

  it('names the /64 of any spelling of an IPv6 address', () => {
    expect(addressKey('2001:0db8:00aa:0bb0:1:2:3:4')).toBe('2001:db8:aa:bb0::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:db8:1:2::')).toBe('2001:db8:1:2::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64')
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1')
  })

  it('keeps at most maxAddresses counts: expired ones go first, then new addresses share one count', () => {
    const { at, now } = clock()
    const code = new WorkshopCode('RIGHT', { maxWrong: 2, windowMs: 1000, maxAddresses: 2, now })
    code.check('x', '10.0.0.1')
    code.check('x', '10.0.0.2')
    code.check('x', '10.0.0.3')
    code.check('x', '10.0.0.4')
    expect(code.check('RIGHT', '10.0.0.5')?.code).toBe('HUB_TOO_MANY_CODES')
    expect(code.check('RIGHT', '10.0.0.1')).toBeUndefined()
    at.now += 1000
    code.check('x', '10.0.0.6')
    expect(code.check('RIGHT', '10.0.0.6')).toBeUndefined()
  })
})
