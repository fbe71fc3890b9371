import type { ResourceType } from '../cluster/resources.ts'

/** A kubectl failure whose message is exactly what kubectl prints on stderr (exit code 1). */
export class KubectlError extends Error {
  readonly code = 'TWIN_KUBECTL'
}

/** Where a subcommand writes. */
export interface Out {
  stdout(text: string): void
  stderr(text: string): void
}

const groupSuffix = (type: ResourceType) => (type.group ? `.${type.group}` : '')

/** `Error from server (NotFound): services "x" not found` */
export const notFound = (type: ResourceType, name: string) => `Error from server (NotFound): ${type.plural}${groupSuffix(type)} "${name}" not found`
