import { describe, expect, it } from 'vitest'
import { durationFlag, parseGoDuration } from './duration-flag.ts'

describe("Go's time.ParseDuration, as kubectl's duration flags read it", () => {
  it('reads what Go reads', () => {
    expect(['1h30m', '1.5s', '0', '90s', '1m30s', '250ms', '-2m', '.5h'].map(parseGoDuration)).toEqual([
      5_400_000, 1500, 0, 90_000, 90_000, 250, -120_000, 1_800_000,
    ])
  })

  it("gives Go's errors, and kubectl's flag error around them (checked against kubectl v1.23.0)", () => {
    expect(parseGoDuration('10')).toEqual({ error: 'time: missing unit in duration "10"' })
    expect(parseGoDuration('')).toEqual({ error: 'time: invalid duration ""' })
    expect(parseGoDuration('abc')).toEqual({ error: 'time: invalid duration "abc"' })
    expect(parseGoDuration('5 minutes')).toEqual({ error: 'time: unknown unit " minutes" in duration "5 minutes"' })
    expect(() => durationFlag('since', '5x')).toThrow(
      'invalid argument "5x" for "--since" flag: time: unknown unit "x" in duration "5x"',
    )
  })
})
