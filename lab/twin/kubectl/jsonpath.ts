import { CodedError } from '../../../protocol/coded-error.ts'

/** Stable error of a template kubectl could not parse or evaluate. */
export class JsonPathError extends CodedError<'TWIN_KUBECTL_JSONPATH'> {
  constructor(message: string) {
    super('TWIN_KUBECTL_JSONPATH', message)
  }
}

type Step =
  | { field: string }
  | { index: number }
  | { all: true }
  | { filter: { path: Step[]; op: string; value: unknown } | { path: Step[] } }

/** Parses `.a.b[0].c[*]['d'][?(@.type=="x")]` into steps. */
function parsePath(text: string): Step[] {
  const steps: Step[] = []
  let i = 0
  const src = text.trim()
  while (i < src.length) {
    const ch = src[i]
    if (ch === '.') {
      i++
      const m = /^[A-Za-z0-9_\-/$]*/.exec(src.slice(i))!
      if (m[0]) steps.push({ field: m[0] })
      i += m[0].length
    } else if (ch === '[') {
      const close = matchingBracket(src, i)
      const inner = src.slice(i + 1, close).trim()
      i = close + 1
      // client-go's parseArray reads `[]` as the open slice `[:]`, every element, as `[*]` is.
      if (inner === '*' || inner === '') steps.push({ all: true })
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) })
      else if (/^['"].*['"]$/.test(inner)) steps.push({ field: inner.slice(1, -1) })
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push({ filter: parseFilter(inner.slice(2, -1)) })
      else throw new JsonPathError(`unrecognized identifier ${inner}`)
    } else if (ch === '@' || ch === '$') {
      i++
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(src.slice(i))
      if (!m)
        throw new JsonPathError(
          `unrecognized character in action: U+${ch.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()} '${ch}'`,
        )
      steps.push({ field: m[0] })
      i += m[0].length
    }
  }
  return steps
}

function matchingBracket(src: string, open: number): number {
  let depth = 0
  let quote = ''
  for (let i = open; i < src.length; i++) {
    const ch = src[i]
    if (quote) {
      if (ch === quote) quote = ''
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '[') depth++
    else if (ch === ']' && --depth === 0) return i
  }
  throw new JsonPathError(`unterminated array`)
}

function parseFilter(text: string): { path: Step[]; op: string; value: unknown } | { path: Step[] } {
  const m = /^(@[^=!<>]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(text.trim())
  if (!m) return { path: parsePath(text.trim()) }
  const raw = m[3].trim()
  const value = /^['"].*['"]$/.test(raw) ? raw.slice(1, -1) : Number.isNaN(Number(raw)) ? raw : Number(raw)
  return { path: parsePath(m[1]), op: m[2], value }
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || String(a) === String(b)
    case '!=':
      return String(a) !== String(b)
    case '<':
      return Number(a) < Number(b)
    case '>':
      return Number(a) > Number(b)
    case '<=':
      return Number(a) <= Number(b)
    default:
      return Number(a) >= Number(b)
  }
}

/** Every value `path` reaches from `root` (several with `[*]` or filters). */
export const evaluate = (root: unknown, path: string): unknown[] => walk(root, parsePath(path))

function walk(root: unknown, steps: Step[]): unknown[] {
  let current: unknown[] = [root]
  for (const step of steps) {
    const next: unknown[] = []
    for (const value of current) {
      if (value === null || value === undefined) continue
      if ('field' in step) {
        if (typeof value === 'object' && step.field in (value as object))
          next.push((value as Record<string, unknown>)[step.field])
      } else if ('index' in step) {
        if (Array.isArray(value)) {
          const item = value[step.index < 0 ? value.length + step.index : step.index]
          if (item !== undefined) next.push(item)
        }
      } else if ('all' in step) {
        if (Array.isArray(value)) next.push(...value)
        else if (typeof value === 'object') next.push(...Object.values(value as object))
      } else if (Array.isArray(value)) {
        const filter = step.filter
        for (const item of value) {
          const found = walk(item, filter.path)
          if ('op' in filter ? found.some((v) => compare(v, filter.op, filter.value)) : found.length > 0)
            next.push(item)
        }
      }
    }
    current = next
  }
  return current
}

/** How kubectl prints one value: strings raw, everything else as JSON. */
export const formatValue = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * Renders a kubectl JSONPath template (`{.items[*].metadata.name}`, `{range .items[*]}{.x}{"\n"}{end}`).
 */
export function renderTemplate(template: string, root: unknown): string {
  const tokens = tokenize(template)
  let out = ''
  const run = (from: number, to: number, scope: unknown) => {
    for (let i = from; i < to; i++) {
      const token = tokens[i]
      if (token.text !== undefined) out += token.text
      else if (token.expr!.startsWith('range ')) {
        const end = findEnd(tokens, i)
        for (const item of evaluate(scope, token.expr!.slice(6))) run(i + 1, end, item)
        i = end
      } else if (/^".*"$/.test(token.expr!)) out += JSON.parse(token.expr!)
      else out += evaluate(scope, token.expr!).map(formatValue).join(' ')
    }
  }
  run(0, tokens.length, root)
  return out
}

function tokenize(template: string): { text?: string; expr?: string }[] {
  const tokens: { text?: string; expr?: string }[] = []
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    if (open < 0) {
      tokens.push({ text: template.slice(i) })
      break
    }
    if (open > i) tokens.push({ text: template.slice(i, open) })
    const close = template.indexOf('}', open)
    if (close < 0) throw new JsonPathError(`unclosed action`)
    tokens.push({ expr: template.slice(open + 1, close).trim() })
    i = close + 1
  }
  return tokens
}

function findEnd(tokens: { text?: string; expr?: string }[], start: number): number {
  let depth = 0
  for (let i = start + 1; i < tokens.length; i++) {
    if (tokens[i].expr?.startsWith('range ')) depth++
    else if (tokens[i].expr === 'end' && depth-- === 0) return i
  }
  throw new JsonPathError(`not in range, nothing to end`)
}
