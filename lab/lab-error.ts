import { CodedError } from '../protocol/coded-error.ts'

/** An error of a lab backend, with a stable code (documented in docs/reference/error-codes.md). */
export class LabError extends CodedError {}
