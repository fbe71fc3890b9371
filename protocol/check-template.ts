/**
 * `{{name}}` templates in check probes and matchers, filled from the check's `let` captures (and `{{item}}` inside
 * `each`). Go-template words (`{{end}}`, `{{range ...}}`, `{{.status}}`) are left alone so kubectl's own
 * `-o go-template=...` keeps working.
 */

import { CodedError } from './coded-error.ts'

const TEMPLATE = /\{\{\s*([a-zA-Z][\w-]*)\s*\}\}/g
const GO_TEMPLATE_WORDS = new Set([
  'end',
  'else',
  'range',
  'if',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  'nil',
])

/** Names a text refers to, in order of appearance. */
export function templateNames(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => m[1]).filter((name) => !GO_TEMPLATE_WORDS.has(name))
}

export class TemplateError extends CodedError<'LAB_TEMPLATE_UNKNOWN'> {
  constructor(message: string) {
    super('LAB_TEMPLATE_UNKNOWN', message)
  }
}

/**
 * Replaces every known `{{name}}`. An unknown name throws, since a probe with a hole would test the wrong thing;
 * with `lenient` it stays as written (a failure reason whose capture itself failed is still worth showing).
 */
export function fillTemplate(
  text: string,
  values: Record<string, string>,
  options: { lenient?: boolean } = {},
): string {
  return text.replace(TEMPLATE, (whole, name: string) => {
    if (GO_TEMPLATE_WORDS.has(name) || (options.lenient && !(name in values))) return whole
    if (!(name in values))
      throw new TemplateError(`template {{${name}}} has no value (known: ${Object.keys(values).join(', ') || 'none'})`)
    return values[name]
  })
}
