/**
 * The off-script commands (commands.yaml) as data: what is typed, what the person wants from it, and how a right
 * answer looks for the classifier (a typo's right answer is the real tool's "unknown command").
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'

export const offscriptCommandSchema = z.strictObject({
  tool: z.string().describe('The tool the command exercises; the report counts per tool.'),
  command: z.string().min(1).describe('What is typed on the lab host (bash -c).'),
  want: z.string().describe('What the person typing it wants from it.'),
  typo: z.boolean().optional().describe('A mistyped command or flag: "unknown command/flag" is the right answer.'),
  quiet: z.boolean().optional().describe('The real tool prints nothing on success, so an empty answer is right.'),
  restore: z.array(z.string()).optional().describe('Run right after the command, before the lab probe.'),
  risky: z.boolean().optional().describe('One of the fixed subset the lab test runs.'),
})

export type OffscriptCommand = z.infer<typeof offscriptCommandSchema>

/** Every command of commands.yaml, validated; a mistake names the entry and the field. */
export function loadOffscriptCommands(file = join(import.meta.dirname, 'commands.yaml')): OffscriptCommand[] {
  const parsed = z.array(offscriptCommandSchema).safeParse(parse(readFileSync(file, 'utf8')))
  if (!parsed.success) {
    const [first] = parsed.error.issues
    throw new Error(`${file}: [${first.path.join('].')}: ${first.message}`)
  }
  return parsed.data
}
