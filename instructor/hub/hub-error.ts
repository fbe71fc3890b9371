import { CodedError } from '../../protocol/coded-error.ts'

/**
 * Errors the hub reports to a dashboard (as a `result` with `code`) or to the console. Every code is listed in
 * docs/instructor.md.
 */
export type HubErrorCode =
  | 'HUB_UNKNOWN_LEARNER'
  | 'HUB_UNKNOWN_CHAPTER'
  | 'HUB_RESET_LOCAL'
  | 'HUB_RESET_FAILED'
  | 'HUB_RESET_BUSY'
  | 'HUB_HOSTED_FULL'
  | 'HUB_HOSTED_DISABLED'
  | 'HUB_PRESENTER_OFF'
  | 'HUB_CLASS_FULL'
  | 'HUB_ADDRESS_FULL'
  | 'HUB_UNKNOWN_STEP'
  | 'HUB_UNKNOWN_CHECK'
  | 'HUB_NOT_COMPLETED'

export class HubError extends CodedError<HubErrorCode> {}
