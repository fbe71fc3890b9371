/**
 * The slice of Go's text/template that `docker ps --format` and `docker inspect -f` are used with in practice:
 * `{{.Field}}` and `{{.Nested.Field}}` lookups, `{{json .X}}`, `{{range .X}}...{{end}}` (over a map's values in
 * key order, as Go ranges over maps, or a list's items; `.` is the item inside), `{{.}}`, and `\t` between columns.
 */
export function renderTemplate(template: string, data: unknown): string {
  const tokens = template.replace(/\\t/g, '\t').split(/(\{\{-?\s*[^}]*?\s*-?\}\})/)
  const [text] = render(tokens, 0, data)
  return text
}

function lookup(data: unknown, path: string): unknown {
  let value = data
  for (const key of path.split('.').filter(Boolean)) value = (value as Record<string, unknown> | undefined)?.[key]
  return value
}

function show(value: unknown, json: boolean): string {
  if (json) return JSON.stringify(value ?? null)
  if (value === undefined || value === null) return '<no value>'
  // Go prints a map as map[k:v ...]; scripts only ever print scalars, so objects print as JSON to stay readable.
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** Renders tokens from `start` until an `{{end}}` (or the end); returns the text and the index after the `{{end}}`. */
function render(tokens: string[], start: number, data: unknown): [string, number] {
  let out = ''
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]
    const action = /^\{\{-?\s*(.*?)\s*-?\}\}$/.exec(token)?.[1]
    if (action === undefined) {
      out += token
      continue
    }
    if (action === 'end') return [out, i + 1]
    const range = /^range\s+\.([\w.]*)$/.exec(action)
    if (range) {
      const value = lookup(data, range[1])
      const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.keys(value).sort().map(k => (value as Record<string, unknown>)[k]) : []
      // The body is rendered once per item; with no items it is still skipped to its {{end}}.
      let next = render(tokens, i + 1, undefined)[1]
      for (const item of items) {
        const [text, after] = render(tokens, i + 1, item)
        out += text
        next = after
      }
      i = next - 1
      continue
    }
    const field = /^(json\s+)?\.([\w.]*)$/.exec(action)
    if (field) out += show(lookup(data, field[2]), Boolean(field[1]))
    else out += token
  }
  return [out, tokens.length]
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
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(Math.max(10, widths[column] + 3)))).join(''))
    .join('\n')
}
