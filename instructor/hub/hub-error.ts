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

export class HubError extends CodedError<HubErrorCode> {}
