/**
 * An error with a stable code that programs branch on and people look up (docs/reference/error-codes.md and
 * docs/instructor.md list every code). The parts of the project keep their own code lists and subclass this.
 */
export class CodedError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = new.target.name
  }
}
