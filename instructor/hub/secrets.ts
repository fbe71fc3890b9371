/**
 * The hub's three kinds of credential, kept distinct so holding one never grants another:
 * - the instructor secret (dashboard and every control), long and random, only in the instructor's link;
 * - the workshop code (join the class), short enough to read aloud, useless for anything but joining;
 * - a per-learner token issued at join, `<learnerId>.<random>`, which resumes that learner's row and nothing else.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** Letters and digits a class can read off a projector without confusing 0/O or 1/I/l. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function newInstructorSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** Ten symbols of a 32-letter alphabet: 50 bits, shown as `XXXXX-XXXXX`. */
export function newWorkshopCode(): string {
  let code = ''
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

export function newLearnerId(): string {
  return `l-${randomBytes(6).toString('hex')}`
}

export function newLearnerToken(learnerId: string): string {
  return `${learnerId}.${randomBytes(24).toString('base64url')}`
}

/** The learner id a token claims to belong to (the token still has to be checked against the stored one). */
export function learnerIdOfToken(token: string): string | undefined {
  const dot = token.indexOf('.')
  return dot > 0 ? token.slice(0, dot) : undefined
}

/**
 * Constant-time equality. Both sides are hashed first so neither the length nor the position of the first different
 * byte leaks through timing.
 */
export function secretEquals(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
