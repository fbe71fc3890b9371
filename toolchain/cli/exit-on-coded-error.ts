import { CodedError } from '../../protocol/coded-error.ts'

/**
 * For a start script's `.catch()`: a coded error is the person's to act on (a site that does not build, a damaged
 * progress file), so it is one line, `<what>: <message> [CODE]`, and exit 1; anything else is a bug and keeps its
 * stack trace.
 */
export function exitOnCodedError(what: string): (error: unknown) => never {
  return (error) => {
    if (!(error instanceof CodedError)) throw error
    console.error(`${what}: ${error.message} [${error.code}]`)
    process.exit(1)
  }
}
