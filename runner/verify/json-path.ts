/**
 * The JSONPath subset course checks need: `$`, `.key`, `['key']`, `[n]`, `[-n]`, `[*]`, `.*`, `..key`, and filters
 * `[?(@.a.b == 'v')]`, `[?(@.a != 1)]`, `[?(@.a)]`. Returns every value the path reaches (empty: it does not resolve).
 */

import { CodedError } from '../../protocol/coded-error.ts'

export class JsonPathError extends CodedError<'LAB_JSONPATH_SYNTAX'> {
  constructor(message: string) {
    super('LAB_JSONPATH_SYNTAX', message)
  }
}

type Segment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'descend'; key: string }
  | { kind: 'filter'; path: string[]; op?: '==' | '!='; value?: string | number | boolean | null }

export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new JsonPathError(`a JSONPath starts with $: ${path}`)
  const segments: Segment[] = []
  const pattern =
    /\.\.([\w-]+)|\.([\w-]+)|\.\*|\[\*\]|\[(-?\d+)\]|\[(['"])(.*?)\4\]|\[\?\(@((?:\.[\w-]+)+)\s*(?:(==|!=)\s*('[^']*'|"[^"]*"|-?[\d.]+|true|false|null))?\s*\)\]/y
  let rest = path.slice(1)
  while (rest.length > 0) {
    pattern.lastIndex = 0
    const m = pattern.exec(rest)
    if (!m) throw new JsonPathError(`cannot read JSONPath ${path} at "${rest}"`)
    if (m[1] !== undefined) segments.push({ kind: 'descend', key: m[1] })
    else if (m[2] !== undefined) segments.push({ kind: 'key', key: m[2] })
    else if (m[3] !== undefined) segments.push({ kind: 'index', index: Number(m[3]) })
    else if (m[5] !== undefined) segments.push({ kind: 'key', key: m[5] })
    else if (m[6] !== undefined)
      segments.push({
        kind: 'filter',
        path: m[6].slice(1).split('.'),
        op: m[7] as '==' | '!=' | undefined,
        value: m[8] === undefined ? undefined : literal(m[8]),
      })
    else segments.push({ kind: 'wildcard' })
    rest = rest.slice(m[0].length)
  }
  return segments
}

function literal(text: string): string | number | boolean | null {
  if (text.startsWith("'") || text.startsWith('"')) return text.slice(1, -1)
  return JSON.parse(text) as number | boolean | null
}

export function queryJsonPath(data: unknown, path: string): unknown[] {
  let current: unknown[] = [data]
  for (const segment of parseJsonPath(path)) current = current.flatMap((value) => step(value, segment))
  return current
}

function step(value: unknown, segment: Segment): unknown[] {
  const children = (v: unknown): unknown[] =>
    Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []
  switch (segment.kind) {
    case 'key':
      return value && typeof value === 'object' && !Array.isArray(value) && segment.key in value
        ? [(value as Record<string, unknown>)[segment.key]]
        : []
    case 'index': {
      if (!Array.isArray(value)) return []
      const i = segment.index < 0 ? value.length + segment.index : segment.index
      return i >= 0 && i < value.length ? [value[i]] : []
    }
    case 'wildcard':
      return children(value)
    case 'descend': {
      const found: unknown[] = []
      const walk = (v: unknown) => {
        if (v && typeof v === 'object' && !Array.isArray(v) && segment.key in v)
          found.push((v as Record<string, unknown>)[segment.key])
        children(v).forEach(walk)
      }
      walk(value)
      return found
    }
    case 'filter':
      return children(value).filter((item) => {
        const hits = segment.path.reduce<unknown[]>(
          (acc, key) => acc.flatMap((v) => step(v, { kind: 'key', key })),
          [item],
        )
        if (!segment.op) return hits.length > 0
        const equal = hits.length > 0 && hits[0] === segment.value
        return segment.op === '==' ? equal : !equal
      })
  }
}
