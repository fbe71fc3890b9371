/**
 * The course self-test: walks the whole course on a lab the way a learner does, through a real runner and its socket.
 * For each chapter in order it opens the chapter (the runner enforces the gates), requires a gated chapter's checks to
 * FAIL before its steps (a chapter whose checks already pass teaches nothing), clicks Run on every step and waits for
 * the step's verdict from the learner's terminal, then requires the chapter's checks to PASS.
 */

import type { LabBackend } from '../../lab/backend.ts'
import type { Chapter, Course, Locale } from '../../protocol/course.ts'
import type { ChapterCheckResult, StepResult } from '../../protocol/messages.ts'
import { createRunner } from '../../runner/runner.ts'
import { runCheck } from '../../runner/verify/run-check.ts'
import { NodeLabClient } from './node-lab-client.ts'

export interface CheckPhase {
  ok: boolean
  ms: number
  /** Checks that failed, with the runner's reason and expected vs actual. */
  failing: { checkId: string; reason: string; expected: string; actual: string }[]
}

export interface StepReport {
  stepId: string
  optional: boolean
  ok: boolean
  /** Runs needed: a learner runs a step again when a route is still converging, so the self-test does too. */
  tries: number
  ms: number
  /** Expected vs actual of the last failed try. */
  detail?: string
}

export interface ChapterReport {
  chapterId: string
  section?: string
  /** Gated chapters only: the checks before any step ran (they must fail). */
  before?: CheckPhase
  steps: StepReport[]
  /** The checks after the steps (they must pass). */
  after?: CheckPhase
  ok: boolean
  problems: string[]
}

export interface SelfTestOptions {
  lab: LabBackend
  course: Course
  /** Runner state (progress, shell rc); the caller owns and removes it. */
  stateDir: string
  /** @default 'en' */
  locale?: Locale
  /** Extra runs of a failing step, 3 s apart. @default 2 */
  stepRetries?: number
  /** Called when a chapter is done, for live output. */
  onChapter?: (report: ChapterReport) => void
}

const RETRY_PAUSE_MS = 3000

export async function runCourseSelfTest(options: SelfTestOptions): Promise<ChapterReport[]> {
  const runner = await createRunner({ lab: options.lab, course: options.course, stateDir: options.stateDir })
  const client = await NodeLabClient.connect(runner.url, runner.token)
  const reports: ChapterReport[] = []
  try {
    for (const chapter of [...options.course.chapters].sort((a, b) => a.order - b.order)) {
      const report = await walkChapter(chapter, client, options)
      reports.push(report)
      options.onChapter?.(report)
      // A failed gated chapter keeps every later one locked: walking them would only repeat that failure.
      if (!report.ok && chapter.section) break
    }
  } finally {
    client.close()
    await runner.close()
  }
  return reports
}

async function walkChapter(chapter: Chapter, client: NodeLabClient, options: SelfTestOptions): Promise<ChapterReport> {
  const locale = options.locale ?? 'en'
  const report: ChapterReport = { chapterId: chapter.id, section: chapter.section, steps: [], ok: false, problems: [] }
  const opened = await client.request({ type: 'open-chapter', chapterId: chapter.id, locale })
  if (opened.type === 'reply' && !opened.ok) {
    report.problems.push(`could not open the chapter: ${opened.message}`)
    return report
  }
  if (chapter.section && chapter.checks.length > 0) {
    report.before = await checksWithoutPolling(chapter, options.lab, locale)
    if (report.before.ok)
      report.problems.push('its checks pass before its steps ran: they do not test what the chapter changes')
  }
  for (const step of chapter.steps) {
    const result = await runStep(chapter, step.id, client, options.stepRetries ?? 2)
    report.steps.push(result)
    if (!result.ok) report.problems.push(`step ${step.id} failed after ${result.tries} run(s): ${result.detail ?? ''}`)
  }
  if (chapter.checks.length > 0) {
    report.after = await checksThroughRunner(chapter, client)
    for (const f of report.after.failing)
      report.problems.push(`check ${f.checkId} failed: ${f.reason} (expected ${f.expected}; actual ${f.actual})`)
  }
  report.ok = report.problems.length === 0
  return report
}

/**
 * The fail-first phase asks the check engine directly with polling off: a check meant to fail would otherwise poll
 * for its whole retry budget (minutes for "nodes Ready") before reporting the failure we expect.
 */
async function checksWithoutPolling(chapter: Chapter, lab: LabBackend, locale: Locale): Promise<CheckPhase> {
  const started = Date.now()
  const results = []
  for (const check of chapter.checks) results.push(await runCheck({ ...check, retries: 0 }, lab, locale))
  return {
    ok: results.every((r) => r.ok),
    ms: Date.now() - started,
    failing: results
      .filter((r) => !r.ok)
      .map((r) => ({ checkId: r.checkId, reason: r.reason, expected: r.expected, actual: r.actual })),
  }
}

async function checksThroughRunner(chapter: Chapter, client: NodeLabClient): Promise<CheckPhase> {
  const started = Date.now()
  const reply = await client.request({ type: 'check', chapterId: chapter.id })
  const ms = Date.now() - started
  if (reply.type !== 'reply' || !reply.ok) {
    const message = reply.type === 'reply' && !reply.ok ? `${reply.code}: ${reply.message}` : 'no reply'
    return {
      ok: false,
      ms,
      failing: [{ checkId: '(request)', reason: message, expected: 'the runner to run the checks', actual: message }],
    }
  }
  const result = reply.result as ChapterCheckResult
  return {
    ok: result.ok,
    ms,
    failing: result.checks
      .filter((c) => !c.ok)
      .map((c) => ({ checkId: c.checkId, reason: c.reason, expected: c.expected, actual: c.actual })),
  }
}

async function runStep(chapter: Chapter, stepId: string, client: NodeLabClient, retries: number): Promise<StepReport> {
  const step = chapter.steps.find((s) => s.id === stepId)!
  const started = Date.now()
  let last: StepResult | undefined
  let tries = 0
  while (tries <= retries) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS))
    tries++
    const sentAt = Date.now()
    const reply = await client.request({ type: 'run-step', chapterId: chapter.id, stepId })
    if (reply.type === 'reply' && !reply.ok)
      return {
        stepId,
        optional: step.optional ?? false,
        ok: false,
        tries,
        ms: Date.now() - started,
        detail: `${reply.code}: ${reply.message}`,
      }
    last = await client.waitFor(
      () => {
        for (let i = client.events.length - 1; i >= 0; i--) {
          const e = client.events[i]
          if (
            e.type === 'step-result' &&
            e.result.chapterId === chapter.id &&
            e.result.stepId === stepId &&
            e.result.at >= sentAt
          )
            return e.result
        }
        return undefined
      },
      (step.timeoutMs ?? 60_000) + 10_000,
    )
    if (last.ok) break
  }
  return {
    stepId,
    optional: step.optional ?? false,
    ok: last?.ok ?? false,
    tries,
    ms: Date.now() - started,
    detail: last && !last.ok ? describeFailure(last) : undefined,
  }
}

function describeFailure(result: StepResult): string {
  const failed = result.outcomes.filter((o) => !o.ok).map((o) => `expected ${o.expected}, got ${o.actual}`)
  const reason = result.reason ? [result.reason] : []
  const tail = result.output.trim().split('\n').slice(-6).join(' | ')
  return [...reason, ...failed, `output: ${tail}`].join('; ')
}
