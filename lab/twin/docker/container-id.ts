import { createHash } from 'node:crypto'
import type { ContainerInfo } from '../context.ts'

/** A stable 64-hex "container id" from the name and creation time; `docker ps` and containerlab show the first 12. */
export function containerId(info: ContainerInfo): string {
  return createHash('sha256').update(`${info.name}@${info.createdAt}`).digest('hex')
}
