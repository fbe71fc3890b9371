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

/** What delete, edit and expose say without a resource (cmdutil's resource builder, kubectl 1.23). */
export const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"
