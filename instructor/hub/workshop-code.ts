/**
 * The workshop code, and the wrong ones tried, counted per address: past `maxWrong` in a window, that address may not
 * try a code (not even the right one, or the lockout would still answer which guess was right) until the window ends. A generated code has
 * 50 bits, but an instructor may pin a short one (`WORKSHOP_CODE`), and the hub may listen on a network. Only the
 * code is limited: the instructor secret and learner tokens are random and long, and a runner whose token a restarted
 * hub forgot resumes on its own, which must not lock its classmates out. A runner told its code is wrong does not try
 * again by itself (instructor/join.ts), so only people typing codes count.
 */
import { addressKey } from '../../http/address-key.ts'
import { secretEquals } from './secrets.ts'

export interface WorkshopCodeOptions {
  /**
   * [maxWrong=30] Wrong codes an address may send per window. A class behind one NAT address (or a proxy that hides
   * addresses) shares one count and mistypes a code read off a projector, so it is not low; a short pinned code of
   * four digits still takes hours per address.
   */
  maxWrong?: number
  /** [windowMs=60000] */
  windowMs?: number
  /** [maxAddresses=100000] Addresses tracked at once; past it (expired ones dropped first) new ones share one count. */
  maxAddresses?: number
  /** [now=Date.now] */
  now?: () => number
}

export interface CodeRefusal {
  code: 'HUB_BAD_CODE' | 'HUB_TOO_MANY_CODES'
  message: string
  /** Seconds until this address may try again (`HUB_TOO_MANY_CODES`). */
  retryAfter?: number
}

interface Count {
  wrong: number
  since: number
}

const OVERFLOW = 'overflow'

export class WorkshopCode {
  private readonly counts = new Map<string, Count>()
  private readonly maxWrong: number
  private readonly windowMs: number
  private readonly maxAddresses: number
  private readonly now: () => number

  constructor(
    readonly value: string,
    options: WorkshopCodeOptions = {},
  ) {
    this.maxWrong = options.maxWrong ?? 30
    this.windowMs = options.windowMs ?? 60_000
    this.maxAddresses = options.maxAddresses ?? 100_000
    this.now = options.now ?? Date.now
  }

  /** Undefined when `given` is this workshop's code and `address` may still try one; else why not. */
  check(given: string, address: string): CodeRefusal | undefined {
    const key = this.keyOf(address)
    const count = this.current(key)
    if (count && count.wrong >= this.maxWrong) {
      const retryAfter = Math.ceil((count.since + this.windowMs - this.now()) / 1000)
      return {
        code: 'HUB_TOO_MANY_CODES',
        message: `${count.wrong} wrong workshop codes from this address within ${this.windowMs / 1000} s: try again in ${retryAfter} s`,
        retryAfter,
      }
    }
    if (secretEquals(given, this.value)) return undefined
    if (count) count.wrong++
    else this.counts.set(key, { wrong: 1, since: this.now() })
    return { code: 'HUB_BAD_CODE', message: 'that is not this workshop code' }
  }

  private keyOf(address: string): string {
    const key = addressKey(address)
    if (this.counts.has(key) || this.counts.size < this.maxAddresses) return key
    for (const [other, count] of this.counts) if (this.expired(count)) this.counts.delete(other)
    return this.counts.size < this.maxAddresses ? key : OVERFLOW
  }

  private current(key: string): Count | undefined {
    const count = this.counts.get(key)
    if (count && this.expired(count)) {
      this.counts.delete(key)
      return undefined
    }
    return count
  }

  private expired(count: Count): boolean {
    return this.now() - count.since >= this.windowMs
  }
}
