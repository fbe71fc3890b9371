/**
 * The course as data: the schema every chapter file in `steps/` must satisfy.
 *
 * This file is the single source of truth for steps, checks and matchers. The runner, the site (through the markdown
 * extension) and `npm run validate` all parse chapter files with these schemas; types are inferred from them.
 * It imports neither DOM nor Node, so the browser and the runner can both depend on it.
 */
import { z } from 'zod'

/** Text shown to learners, in every locale the site has. Both locales are required so they never drift apart. */
export const localizedSchema = z
  .strictObject({
    en: z.string().min(1).describe('English text'),
    zh: z.string().min(1).describe('Chinese text'),
  })
  .describe('Learner-facing text in English and Chinese')
export type Localized = z.infer<typeof localizedSchema>

export const localeSchema = z.enum(['en', 'zh'])
export type Locale = z.infer<typeof localeSchema>

const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase letters, digits and dashes, like "kind-create"')

/** Compiles a regex at validation time so a bad pattern is reported with its file and field, not at run time. */
const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regex: ${(error as Error).message}` })
  }
})

const textMatchers = {
  contains: z.string().describe('Passes when the (ANSI-stripped) output contains this text').optional(),
  regex: regexSource.describe('Passes when this regular expression matches the output').optional(),
  flags: z
    .string()
    .regex(/^[imsu]*$/)
    .describe('Flags for `regex`')
    .optional(),
}

/**
 * One expectation on a command's output. Exactly one kind per matcher:
 * - `contains` / `regex`: on the text;
 * - `jsonPath` with `equals`, `exists` or `matches`: on the output parsed as JSON (or YAML);
 * - `table`: a row of a whitespace-aligned table (kubectl, vtysh) whose columns hold the given values;
 * - `count`: how many lines match `regex` (or contain `contains`).
 * `not: true` inverts any of them. Strings may use `{{name}}` templates filled from the check's captures.
 */
export const matcherSchema = z
  .strictObject({
    ...textMatchers,
    jsonPath: z
      .string()
      .startsWith('$')
      .describe('JSONPath into the parsed output, e.g. $.items[0].spec.podCIDR')
      .optional(),
    equals: z
      .union([z.string(), z.number(), z.boolean(), z.null()])
      .describe('With jsonPath: the value must equal this')
      .optional(),
    exists: z.boolean().describe('With jsonPath: the path must (or must not) resolve').optional(),
    matches: regexSource.describe('With jsonPath: the value, as a string, must match this regex').optional(),
    table: z
      .strictObject({
        columns: z
          .record(z.string(), z.string())
          .describe('Column header -> expected cell; a cell value of the form /re/ is a regex'),
        header: z.string().describe('A text that identifies the header line; defaults to the first line').optional(),
      })
      .describe('A table row with these column values must exist')
      .optional(),
    count: z
      .strictObject({
        ...textMatchers,
        equals: z.number().int().nonnegative().optional(),
        min: z.number().int().nonnegative().optional(),
        max: z.number().int().nonnegative().optional(),
      })
      .describe('How many lines match')
      .optional(),
    not: z.boolean().describe('Invert the matcher').default(false).optional(),
    why: localizedSchema.describe('What this expectation means, shown when it fails').optional(),
  })
  .superRefine((m, ctx) => {
    const kinds = ['contains', 'regex', 'jsonPath', 'table', 'count'].filter(
      (k) => (m as Record<string, unknown>)[k] !== undefined,
    )
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a matcher needs exactly one of contains, regex, jsonPath, table, count (found ${kinds.length ? kinds.join(', ') : 'none'})`,
      })
    }
    if (m.jsonPath !== undefined && m.equals === undefined && m.exists === undefined && m.matches === undefined) {
      ctx.addIssue({ code: 'custom', message: 'jsonPath needs one of equals, exists, matches' })
    }
    if (m.count && m.count.contains === undefined && m.count.regex === undefined) {
      ctx.addIssue({ code: 'custom', message: 'count needs contains or regex', path: ['count'] })
    }
  })
export type Matcher = z.infer<typeof matcherSchema>

/**
 * Where a command runs. `host` is the lab host: the machine in the real lab, the lab-host namespace in the twin.
 * Commands are the real tools' commands (`kubectl ...`, `docker exec clab-bgp-spine0 ...`) so one step file serves
 * both backends.
 */
export const targetSchema = z.literal('host').default('host')

/** A command the runner runs itself (outside the learner's terminal), or a built-in probe of the lab backend. */
export const probeSchema = z.union([
  z.strictObject({
    run: z.string().min(1).describe('Shell command, run with bash -c on the target; `{{name}}` templates allowed'),
    target: targetSchema.optional(),
  }),
  z.strictObject({
    builtin: z.enum(['lab.status', 'lab.tools']).describe('A fact the lab backend reports as JSON'),
  }),
])
export type Probe = z.infer<typeof probeSchema>

/** A value read from the live lab before a check runs, so expectations follow the lab instead of copied addresses. */
export const captureSchema = z
  .strictObject({
    probe: probeSchema,
    jsonPath: z.string().startsWith('$').describe('Take this path of the JSON output (a list when `all`)').optional(),
    regex: regexSource.describe('Take the first group of this regex (every match when `all`)').optional(),
    all: z.boolean().describe('Capture a list instead of the first value').default(false).optional(),
  })
  .refine((c) => c.jsonPath === undefined || c.regex === undefined, { message: 'use jsonPath or regex, not both' })
export type Capture = z.infer<typeof captureSchema>

const durationMs = z.number().int().positive().max(3_600_000)

export const stepSchema = z.strictObject({
  id: idSchema.describe('Stable id, identical in every locale; pages reference it'),
  title: localizedSchema,
  run: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .describe('Command(s) typed into the terminal by Run; the learner may type them by hand too'),
  terminal: idSchema.describe('Which of the chapter terminals runs it').default('main').optional(),
  timeoutMs: durationMs.describe('How long the command may run before the step fails').default(60_000).optional(),
  exitCode: z.number().int().describe('Expected exit code of the last command').default(0).optional(),
  expect: z.array(matcherSchema).describe('Expectations on what the terminal printed').default([]),
  hints: z.array(localizedSchema).default([]).optional(),
  optional: z.boolean().describe('An exploratory step that does not block the chapter').default(false).optional(),
})
export type Step = z.infer<typeof stepSchema>

export const checkSchema = z.strictObject({
  id: idSchema,
  title: localizedSchema,
  let: z.record(idSchema, captureSchema).describe('Values captured from the lab before the probe runs').optional(),
  each: idSchema.describe('Run once per element of this captured list, bound to {{item}}').optional(),
  probe: probeSchema,
  expect: z.array(matcherSchema).min(1),
  exitCode: z.number().int().describe('Expected exit code of the probe (omit to ignore it)').optional(),
  timeoutMs: durationMs.default(15_000).optional(),
  retries: z
    .number()
    .int()
    .min(0)
    .max(100)
    .describe('Polls before giving up (routes take a moment)')
    .default(0)
    .optional(),
  intervalMs: durationMs.describe('Pause between polls').default(1000).optional(),
  fail: localizedSchema.describe('One line a learner can act on when the check fails'),
  hints: z.array(localizedSchema).default([]).optional(),
})
export type Check = z.infer<typeof checkSchema>

export const terminalSchema = z.strictObject({
  id: idSchema,
  title: localizedSchema.optional(),
  target: targetSchema.optional(),
})

export const chapterSchema = z.strictObject({
  $schema: z.string().optional(),
  id: idSchema.describe('Chapter id, used in URLs, progress and gates'),
  order: z.number().int().nonnegative().describe('Position in the course'),
  title: localizedSchema,
  section: z
    .string()
    .describe('Gated section this chapter belongs to (absent: reading chapter, always open)')
    .optional(),
  requires: z.array(idSchema).describe('Chapters whose checks must pass before this one opens').default([]),
  terminals: z.array(terminalSchema).default([{ id: 'main' }]),
  steps: z.array(stepSchema).default([]),
  checks: z.array(checkSchema).default([]),
  solution: z
    .strictObject({
      note: localizedSchema.optional(),
      run: z
        .array(z.string().min(1))
        .describe('Commands Solve runs; defaults to every step command in order')
        .optional(),
    })
    .optional(),
})
export type Chapter = z.infer<typeof chapterSchema>

export interface Course {
  chapters: Chapter[]
}
