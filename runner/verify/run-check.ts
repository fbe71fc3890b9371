/**
 * Runs one chapter check against the live lab, outside the learner's terminal: `let` captures first (each may use the
 * ones before it), then the probe (once per `each` item), then the matchers; polls `retries` times with `intervalMs`
 * between tries, since routes and leases take a moment. Probes are killed at `timeoutMs` by the lab backend; a
 * backstop timer here makes sure a backend that never returns cannot hang the runner either.
 */
import { parse as parseYaml } from 'yaml'
import type { ExecResult, LabBackend } from '../../lab/backend.ts'
import { fillTemplate } from '../../protocol/check-template.ts'
import type { Check, Locale, Probe } from '../../protocol/course.ts'
import type { CheckResult } from '../../protocol/messages.ts'
import { queryJsonPath } from './json-path.ts'
import { matchAll } from './match-output.ts'
import { stripAnsi } from './strip-ansi.ts'

const OUTPUT_LIMIT = 8000

interface Attempt {
  ok: boolean
  expected: string
  actual: string
  output: string
  timedOut: boolean
  /** Captured values (and the failing `item`) the failure reason is filled from. */
  scope: Record<string, string>
}

export async function runCheck(
  check: Check,
  lab: LabBackend,
  locale: Locale,
  signal?: AbortSignal,
): Promise<CheckResult> {
  const tries = (check.retries ?? 0) + 1
  let attempt: Attempt = { ok: false, expected: '', actual: '', output: '', timedOut: false, scope: {} }
  let attempts = 0
  while (attempts < tries && !signal?.aborted) {
    attempts++
    attempt = await attemptCheck(check, lab, locale, signal)
    if (attempt.ok || attempts === tries) break
    await new Promise((resolve) => setTimeout(resolve, check.intervalMs ?? 1000))
  }
  return {
    checkId: check.id,
    ok: attempt.ok,
    reason: attempt.ok ? '' : fillTemplate(check.fail[locale], attempt.scope, { lenient: true }),
    expected: attempt.expected,
    actual: attempt.actual,
    output: attempt.output.slice(-OUTPUT_LIMIT),
    timedOut: attempt.timedOut,
    attempts,
  }
}

async function attemptCheck(check: Check, lab: LabBackend, locale: Locale, signal?: AbortSignal): Promise<Attempt> {
  const timeoutMs = check.timeoutMs ?? 15_000
  const values: Record<string, string> = {}
  const lists: Record<string, string[]> = {}
  for (const [name, capture] of Object.entries(check.let ?? {})) {
    const result = await runProbe(capture.probe, values, lab, timeoutMs, signal)
    if (result.timedOut || result.exitCode !== 0) {
      return failed(`capture ${name} to succeed`, result, `capture ${name}: ${describeExit(result, timeoutMs)}`, values)
    }
    const taken =
      capture.jsonPath !== undefined
        ? fromJson(result.stdout, capture.jsonPath)
        : capture.regex !== undefined
          ? fromRegex(result.stdout, capture.regex)
          : [result.stdout.trim()]
    if (taken.length === 0)
      return failed(
        `capture ${name} to find a value`,
        result,
        `capture ${name}: nothing matched ${capture.jsonPath ?? capture.regex}`,
        values,
      )
    lists[name] = capture.all ? taken : [taken[0]]
    values[name] = capture.all ? taken.join(' ') : taken[0]
  }
  const items = check.each !== undefined ? lists[check.each] : [undefined]
  const outputs: string[] = []
  for (const item of items) {
    const scope = item === undefined ? values : { ...values, item }
    const result = await runProbe(check.probe, scope, lab, timeoutMs, signal)
    const output = stripAnsi(result.stdout + (result.stderr ? `\n${result.stderr}` : '')).trim()
    outputs.push(output)
    const label = item === undefined ? '' : `[${item}] `
    if (result.timedOut)
      return failed('the probe to finish', result, `${label}${describeExit(result, timeoutMs)}`, scope)
    if (check.exitCode !== undefined && result.exitCode !== check.exitCode) {
      return failed(`${label}exit code ${check.exitCode}`, result, `${label}exit code ${result.exitCode}`, scope)
    }
    const failing = matchAll(stripAnsi(result.stdout).trim(), check.expect, scope, locale).filter((o) => !o.ok)
    if (failing.length > 0) {
      return {
        ok: false,
        expected: failing.map((o) => label + o.expected).join('\n'),
        actual: failing.map((o) => label + o.actual).join('\n'),
        output,
        timedOut: false,
        scope,
      }
    }
  }
  return {
    ok: true,
    expected: check.expect.length ? `${check.expect.length} expectation(s) met` : '',
    actual: '',
    output: outputs.join('\n'),
    timedOut: false,
    scope: values,
  }
}

async function runProbe(
  probe: Probe,
  values: Record<string, string>,
  lab: LabBackend,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ExecResult> {
  if ('builtin' in probe) {
    const status = lab.status()
    const data = probe.builtin === 'lab.status' ? status : (status.tools ?? {})
    return { exitCode: 0, stdout: JSON.stringify(data, null, 2), stderr: '', timedOut: false, durationMs: 0 }
  }
  const command = fillTemplate(probe.run, values)
  const controller = new AbortController()
  const onAbort = () => controller.abort()
  signal?.addEventListener('abort', onAbort)
  let backstop: NodeJS.Timeout | undefined
  const giveUp = new Promise<ExecResult>((resolve) => {
    // The backend kills at timeoutMs; if it has not answered well after that, stop waiting and report the hang.
    backstop = setTimeout(() => {
      controller.abort()
      resolve({
        exitCode: -1,
        stdout: '',
        stderr: `the lab did not return within ${timeoutMs + 5000} ms`,
        timedOut: true,
        durationMs: timeoutMs + 5000,
      })
    }, timeoutMs + 5000)
  })
  try {
    return await Promise.race([lab.exec(command, { timeoutMs, signal: controller.signal }), giveUp])
  } finally {
    clearTimeout(backstop)
    signal?.removeEventListener('abort', onAbort)
  }
}

function fromJson(stdout: string, path: string): string[] {
  let data: unknown
  try {
    data = JSON.parse(stdout)
  } catch {
    data = parseYaml(stdout)
  }
  return queryJsonPath(data, path).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
}

function fromRegex(stdout: string, source: string): string[] {
  return [...stdout.matchAll(new RegExp(source, 'gm'))].map((m) => m[1] ?? m[0])
}

function describeExit(result: ExecResult, timeoutMs: number): string {
  if (result.timedOut) return `timed out after ${timeoutMs} ms and was killed`
  const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ')
  return `exit code ${result.exitCode}${detail ? `: ${detail}` : ''}`
}

function failed(expected: string, result: ExecResult, actual: string, scope: Record<string, string>): Attempt {
  return {
    ok: false,
    expected,
    actual,
    output: stripAnsi(`${result.stdout}\n${result.stderr}`).trim(),
    timedOut: result.timedOut,
    scope,
  }
}
