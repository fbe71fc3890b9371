import { CodedError } from '../../../protocol/coded-error.ts'

/** How a template prints values: docker's scripts want JSON for objects; kubectl's go-template prints Go's `map[k:v]`. */
export interface TemplateOptions {
  /** Print maps and slices as Go's fmt does (`map[a:b]`, `[x y]`) instead of as JSON. Default false. */
  goValues?: boolean
  /** Turn a literal `\t` into a tab, as docker's --format does. Default true. */
  tabs?: boolean
}

/** A template error kubectl reports as `error: error executing template ...`. */
export class TemplateError extends CodedError<'TWIN_GO_TEMPLATE'> {
  constructor(message: string) {
    super('TWIN_GO_TEMPLATE', message)
  }
}

/**
 * The slice of Go's text/template that `docker ps --format`, `docker inspect -f` and `kubectl -o go-template` are
 * used with in practice: `{{.Field}}` and `{{.Nested.Field}}` lookups, `{{json .X}}`, `{{index .X "k"}}`,
 * `{{len .X}}`, `{{printf "%s:%d" .A .B}}`, `{{if}}`/`{{else}}`/`{{end}}`, `{{range .X}}...{{end}}` (over a map's
 * values in key order, as Go ranges over maps, or a list's items; `.` is the item inside; `{{range $k, $v := .X}}`
 * binds both), `{{.}}`, `{{"\n"}}`, and trim markers `{{-`/`-}}`.
 */
export function renderTemplate(template: string, data: unknown, options: TemplateOptions = {}): string {
  const text = options.tabs === false ? template : template.replace(/\\t/g, '\t')
  const parts = text.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/)
  // Trim markers eat the whitespace next to them, as Go's lexer does.
  for (let i = 1; i < parts.length; i += 2) {
    if (/^\{\{-\s/.test(parts[i])) parts[i - 1] = parts[i - 1].replace(/\s+$/, '')
    if (/\s-\}\}$/.test(parts[i])) parts[i + 1] = parts[i + 1].replace(/^\s+/, '')
  }
  const scope = { dot: data, root: data, vars: new Map<string, unknown>([['$', data]]), options }
  return render(parts, 0, scope).text
}

type Scope = { dot: unknown; root: unknown; vars: Map<string, unknown>; options: TemplateOptions }

function lookup(data: unknown, path: string): unknown {
  let value = data
  for (const key of path.split('.').filter(Boolean)) value = (value as Record<string, unknown> | undefined)?.[key]
  return value
}

/** fmt's %v of a value: Go's forms for maps and slices when asked, else JSON for objects (docker's scripts). */
function format(value: unknown, goValues: boolean): string {
  if (value === undefined || value === null) return '<no value>'
  if (typeof value !== 'object') return String(value)
  if (!goValues) return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map((v) => format(v, true)).join(' ')}]`
  return `map[${Object.keys(value)
    .sort()
    .map((k) => `${k}:${format((value as Record<string, unknown>)[k], true)}`)
    .join(' ')}]`
}

/** Splits an action's words: quoted strings (with Go escapes), numbers, fields, variables. */
function words(action: string): string[] {
  return action.match(/"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s]+/g) ?? []
}

function operand(word: string, scope: Scope): unknown {
  if (word.startsWith('"')) return JSON.parse(word)
  if (word.startsWith('`')) return word.slice(1, -1)
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word)
  if (word === 'true' || word === 'false') return word === 'true'
  if (word.startsWith('.')) return lookup(scope.dot, word)
  const variable = /^(\$\w*)(\..*)?$/.exec(word)
  if (variable) {
    if (!scope.vars.has(variable[1])) throw new TemplateError(`undefined variable "${variable[1]}"`)
    return lookup(scope.vars.get(variable[1]), variable[2] ?? '')
  }
  throw new TemplateError(`function "${word}" not defined`)
}

/** Go's Printf verbs the templates use: %s %d %v %q and %%. */
function printf(fmt: string, args: unknown[], goValues: boolean): string {
  let n = 0
  return fmt.replace(/%[-+ 0-9.]*([sdvqf%])/g, (_, verb: string) =>
    verb === '%' ? '%' : verb === 'q' ? JSON.stringify(String(args[n++])) : format(args[n++], goValues),
  )
}

/** Evaluates a pipeline of one command: a function call or an operand. */
function evaluate(action: string, scope: Scope): unknown {
  const [head, ...rest] = words(action)
  const args = () => rest.map((w) => operand(w, scope))
  switch (head) {
    case 'json':
      return JSON.stringify(args()[0] ?? null)
    case 'len': {
      const value = args()[0]
      return Array.isArray(value) || typeof value === 'string'
        ? value.length
        : value && typeof value === 'object'
          ? Object.keys(value).length
          : 0
    }
    case 'index':
      return args().reduce((value: unknown, key) => (value as Record<string, unknown> | undefined)?.[key as string])
    case 'printf': {
      const [fmt, ...values] = args()
      return printf(String(fmt), values, scope.options.goValues ?? false)
    }
    case 'not':
      return !truthy(args()[0])
    case 'eq':
    case 'ne': {
      const [a, ...others] = args()
      const equal = others.some((b) => a === b)
      return head === 'eq' ? equal : !equal
    }
    case 'and':
    case 'or': {
      const values = args()
      return head === 'and'
        ? (values.find((v) => !truthy(v)) ?? values[values.length - 1])
        : (values.find(truthy) ?? values[values.length - 1])
    }
    default:
      return operand(head ?? '.', scope)
  }
}

/** Go's truth: false, 0, nil, and empty strings, maps and slices are false. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0
  if (value && typeof value === 'object') return Object.keys(value).length > 0
  return Boolean(value)
}

const actionOf = (part: string) => /^\{\{-?\s*([\s\S]*?)\s*-?\}\}$/.exec(part)?.[1]

/** Index of the `{{else}}` (or -1) and `{{end}}` closing the block that starts after `start`. */
function blockEnd(parts: string[], start: number): { elseAt: number; endAt: number } {
  let depth = 0
  let elseAt = -1
  for (let i = start; i < parts.length; i += 1) {
    const action = i % 2 === 1 ? actionOf(parts[i]) : undefined
    if (action === undefined) continue
    if (/^(if|range|with)\s/.test(action)) depth++
    else if (action === 'end') {
      if (depth === 0) return { elseAt, endAt: i }
      depth--
    } else if (action === 'else' && depth === 0) elseAt = i
  }
  throw new TemplateError('unexpected EOF')
}

/** Renders parts[start, stop) with `scope`. */
function render(parts: string[], start: number, scope: Scope, stop = parts.length): { text: string } {
  let out = ''
  for (let i = start; i < stop; i++) {
    const action = i % 2 === 1 ? actionOf(parts[i]) : undefined
    if (action === undefined) {
      out += parts[i]
      continue
    }
    const block = /^(if|range|with)\s+([\s\S]*)$/.exec(action)
    if (block) {
      const { elseAt, endAt } = blockEnd(parts, i + 1)
      const bodyEnd = elseAt >= 0 ? elseAt : endAt
      const orElse = () => (elseAt >= 0 ? render(parts, elseAt + 1, scope, endAt).text : '')
      if (block[1] === 'range') {
        const bind = /^(\$\w+)\s*(?:,\s*(\$\w+)\s*)?:=\s*([\s\S]*)$/.exec(block[2])
        const value = evaluate(bind ? bind[3] : block[2], scope)
        const entries: [unknown, unknown][] = Array.isArray(value)
          ? value.map((v, n) => [n, v])
          : value && typeof value === 'object'
            ? Object.keys(value)
                .sort()
                .map((k) => [k, (value as Record<string, unknown>)[k]])
            : []
        if (entries.length === 0) out += orElse()
        for (const [key, item] of entries) {
          const vars = new Map(scope.vars)
          if (bind?.[2]) vars.set(bind[1], key).set(bind[2], item)
          else if (bind) vars.set(bind[1], item)
          out += render(parts, i + 1, { ...scope, dot: item, vars }, bodyEnd).text
        }
      } else {
        const value = evaluate(block[2], scope)
        if (!truthy(value)) out += orElse()
        else out += render(parts, i + 1, block[1] === 'with' ? { ...scope, dot: value } : scope, bodyEnd).text
      }
      i = endAt
      continue
    }
    if (action.startsWith('/*')) continue
    const value = evaluate(action, scope)
    out += typeof value === 'string' ? value : format(value, scope.options.goValues ?? false)
  }
  return { text: out }
}

/**
 * Aligns rows like Go's tabwriter as docker/cli's formatter sets it up (`tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`
 * in cli/command/formatter/formatter.go): each cell but the last padded to max(10, widest + 3).
 */
export function alignColumns(rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length)
    })
  }
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(Math.max(10, widths[column] + 3))))
        .join(''),
    )
    .join('\n')
}
