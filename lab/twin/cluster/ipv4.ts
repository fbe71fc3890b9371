/** IPv4 arithmetic on 32-bit unsigned numbers. */

export function toInt(ip: string): number {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`invalid IPv4 address "${ip}"`)
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0
}

export const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')

export const isIp = (text: string) =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && text.split('.').every((p) => Number(p) <= 255)

export interface Cidr {
  /** Network address as a number. */
  base: number
  bits: number
  size: number
}

export function parseCidr(text: string): Cidr {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text.trim())
  if (!m || Number(m[2]) > 32 || !isIp(m[1])) throw new Error(`invalid CIDR address: ${text}`)
  const bits = Number(m[2])
  const size = 2 ** (32 - bits)
  const base = bits === 0 ? 0 : (toInt(m[1]) & (~(size - 1) >>> 0)) >>> 0
  return { base, bits, size }
}

export const isCidr = (text: string) => {
  try {
    parseCidr(text)
    return true
  } catch {
    return false
  }
}

export const cidrText = (c: Cidr) => `${toIp(c.base)}/${c.bits}`
export const contains = (c: Cidr, ip: number) => ip >= c.base && ip < c.base + c.size
export const overlaps = (a: Cidr, b: Cidr) => a.base < b.base + b.size && b.base < a.base + a.size

/** The i-th subnet of `bits` length inside `parent` (10.98.0.0/16, 24, 3 -> 10.98.3.0/24). */
export function subnet(parent: Cidr, bits: number, i: number): Cidr {
  const size = 2 ** (32 - bits)
  if (bits < parent.bits || (i + 1) * size > parent.size)
    throw new Error(`no subnet ${i} of /${bits} in ${cidrText(parent)}`)
  return { base: parent.base + i * size, bits, size }
}

/** Addresses a host may use: network and broadcast excluded (/31 and /32 have none, as Cilium's LB-IPAM counts). */
export function usableRange(c: Cidr): { first: number; count: number } {
  return c.size <= 2 ? { first: c.base, count: 0 } : { first: c.base + 1, count: c.size - 2 }
}

/** A random free address of `range`: random start, scan forward, wrap (Cilium LB-IPAM and pod IPAM alike). */
export function randomFree(
  range: { first: number; count: number },
  used: Set<number>,
  random = Math.random,
): number | undefined {
  if (range.count === 0) return undefined
  const start = Math.floor(random() * range.count)
  for (let i = 0; i < range.count; i++) {
    const ip = range.first + ((start + i) % range.count)
    if (!used.has(ip)) return ip
  }
  return undefined
}
