import { CodedError } from '../../../protocol/coded-error.ts'
import type { ResourceType } from '../cluster/resources.ts'

/** A kubectl failure whose message is exactly what kubectl prints on stderr (exit code 1). */
export class KubectlError extends CodedError<'TWIN_KUBECTL'> {
  constructor(message: string) {
    super('TWIN_KUBECTL', message)
  }
}

/** Where a subcommand writes. */
export interface Out {
  stdout(text: string): void
  stderr(text: string): void
}

const groupSuffix = (type: ResourceType) => (type.group ? `.${type.group}` : '')

/** `Error from server (NotFound): services "x" not found` */
export const notFound = (type: ResourceType, name: string) =>
  `Error from server (NotFound): ${type.plural}${groupSuffix(type)} "${name}" not found`
