/** An error of a lab backend, with a stable code (documented in docs/reference/error-codes.md). */
export class LabError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'LabError'
  }
}
