import { isIPv6 } from 'node:net'

/** What one machine owns: an IPv4 address, or an IPv6 /64 (a host picks any address in its own /64). */
export function addressKey(address: string): string {
  const plain = address.split('%')[0]
  if (plain.startsWith('::ffff:') && plain.includes('.')) return plain.slice(7)
  if (!isIPv6(plain)) return plain
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined]
  const front = head ? head.split(':') : []
  const back = tail ? tail.split(':') : []
  // `::` stands for the zero groups left out; a dotted IPv4 tail is two groups.
  const elided = 8 - front.length - back.length - (back.at(-1)?.includes('.') ? 1 : 0)
  const groups = tail === undefined ? front : [...front, ...Array<string>(elided).fill('0'), ...back]
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}
