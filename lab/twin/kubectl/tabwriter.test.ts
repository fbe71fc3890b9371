import { describe, expect, it } from 'vitest'
import { humanDuration } from './age.ts'
import { tabwrite } from './tabwriter.ts'

describe('tabwrite', () => {
  it('pads columns to the widest cell plus 3 and leaves the last column alone', () => {
    const text = tabwrite([
      ['NAME', 'AGE'],
      ['rack0', '9s'],
    ])
    expect(text).toBe('NAME    AGE\nrack0   9s\n')
  })
  it('uses a minimum width of 6 and pads empty trailing cells (l2advertisement)', () => {
    const text = tabwrite([
      ['NAME', 'IPADDRESSPOOLS', 'IPADDRESSPOOL SELECTORS', 'INTERFACES'],
      ['ippool', '["ippool"]', '', ''],
    ])
    expect(text.split('\n')[0]).toBe('NAME     IPADDRESSPOOLS   IPADDRESSPOOL SELECTORS   INTERFACES')
    expect(text.split('\n')[1]).toBe(`ippool   ["ippool"]       ${' '.repeat(26)}`)
    expect(tabwrite([['a', 'b']])).toBe('a     b\n')
  })
})

describe('humanDuration', () => {
  it.each([
    [9, '9s'],
    [119, '119s'],
    [161, '2m41s'],
    [180, '3m'],
    [145 * 60, '145m'],
    [5 * 3600 + 3 * 60, '5h3m'],
    [30 * 3600, '30h'],
    [76 * 3600, '3d4h'],
    [10 * 86400, '10d'],
  ])('%i s -> %s', (seconds, text) => expect(humanDuration(seconds * 1000)).toBe(text))
})
