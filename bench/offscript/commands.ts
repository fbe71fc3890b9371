/**
 * The off-script commands (commands.yaml) as data: what is typed, what the person wants from it, and how a right
 * answer looks for the classifier (a typo's right answer is the real tool's "unknown command").
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { DEFAULT_STOP, parseStop } from './stops.ts'

export const offscriptCommandSchema = z.strictObject({
  tool: z.string().describe('The tool the command exercises; the report counts per tool.'),
  command: z.string().min(1).describe('What is typed on the lab host (bash -c).'),
  want: z.string().describe('What the person typing it wants from it.'),
  at: z
    .string()
    .optional()
    .describe(
      `The stop of the course where it is typed (stops.ts: a chapter's end, or "<chapter> before <step>"); default ${DEFAULT_STOP}.`,
    ),
  unknown: z
    .boolean()
    .optional()
    .describe('The real lab calls it unknown too (a typo, a missing binary, a CRD gone): "unknown" is right.'),
  quiet: z.boolean().optional().describe('The real tool prints nothing here (curl -s, clear ip bgp, an empty log).'),
  restore: z
    .array(z.string())
    .optional()
    .describe('Puts back what the command changed: run after it when it exited 0, before the lab probe.'),
  risky: z.boolean().optional().describe('One of the fixed subset the lab test runs.'),
  expect: z
    .string()
    .optional()
    .describe("A regex (multiline) the real tool's answer matches: an answer without it is a wrong answer."),
})

export type OffscriptCommand = z.infer<typeof offscriptCommandSchema>

/** The stop a command is typed at. */
export const stopOf = (command: Pick<OffscriptCommand, 'at'>) => command.at ?? DEFAULT_STOP

/** Every command of commands.yaml, validated; a mistake names the entry and the field. */
export function loadOffscriptCommands(file = join(import.meta.dirname, 'commands.yaml')): OffscriptCommand[] {
  const parsed = z.array(offscriptCommandSchema).safeParse(parse(readFileSync(file, 'utf8')))
  if (!parsed.success) {
    const [first] = parsed.error.issues
    throw new Error(`${file}: [${first.path.join('].')}: ${first.message}`)
  }
  parsed.data.forEach((command, i) => {
    try {
      parseStop(stopOf(command))
    } catch (error) {
      throw new Error(`${file}: [${i}].at: ${(error as Error).message}`)
    }
  })
  return parsed.data
}
