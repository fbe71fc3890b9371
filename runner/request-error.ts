import { CodedError } from '../protocol/coded-error.ts'
import type { LabErrorCode } from '../protocol/messages.ts'

/** A refused browser request: the code goes back to the browser in the reply (see protocol/messages.ts). */
export class LabRequestError extends CodedError<LabErrorCode> {}
