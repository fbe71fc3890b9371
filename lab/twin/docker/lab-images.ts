import { createHash } from 'node:crypto'
import type { TwinContext } from '../context.ts'

/**
 * The images `docker images` lists: the image of every container the lab runs (kind's node image, the routers' and
 * the servers' from the topology), and those an earlier listing showed, as docker keeps pulled images after their
 * containers go. The twin runs none of them (its containers are namespaces running this machine's
 * FRR and GoBGP); build dates and sizes are those of the published images, approximately, so the columns read as on
 * the real host.
 */
export interface LabImage {
  repository: string
  tag: string
  /** 64 hex, without `sha256:`. */
  id: string
  created: number
  size: number
}

const PUBLISHED: Record<string, { created: string; size: number }> = {
  'kindest/node:v1.23.4': { created: '2022-03-06T21:07:08Z', size: 1_460_000_000 },
  'vyos/vyos:1.2.8': { created: '2021-09-10T10:21:43Z', size: 1_040_000_000 },
  'nicolaka/netshoot:v0.13': { created: '2024-05-20T16:12:49Z', size: 421_000_000 },
}

/** A stable image id for a reference: the same on every listing, different per image. */
export const imageId = (reference: string) => createHash('sha256').update(`image/${reference}`).digest('hex')

const seen = new WeakMap<TwinContext, Map<string, number>>()

/** The images the lab has pulled so far, newest first as docker lists them (then by name). */
export function labImages(lab: TwinContext, now = Date.now()): LabImage[] {
  let pulled = seen.get(lab)
  if (!pulled) seen.set(lab, (pulled = new Map()))
  for (const { image: reference } of lab.containers.values())
    if (reference && !pulled.has(reference)) pulled.set(reference, now)
  return [...pulled.entries()]
    .map(([reference, pulledAt]) => {
      const colon = reference.lastIndexOf(':')
      const known = PUBLISHED[reference]
      return {
        repository: colon > 0 ? reference.slice(0, colon) : reference,
        tag: colon > 0 ? reference.slice(colon + 1) : 'latest',
        id: imageId(reference),
        created: known ? Date.parse(known.created) : pulledAt,
        size: known?.size ?? 0,
      }
    })
    .sort((a, b) => b.created - a.created || a.repository.localeCompare(b.repository))
}

/** docker's sizes (go-units HumanSizeWithPrecision(size, 3)): decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`
}
