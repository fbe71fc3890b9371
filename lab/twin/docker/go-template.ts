/**
 * The slice of Go's text/template that `docker ps --format` and `docker inspect -f` are used with in practice:
 * `{{.Field}}` and `{{.Nested.Field}}` lookups, `{{json .X}}`, and `\t` between columns.
 */
export function renderTemplate(template: string, data: Record<string, unknown>): string {
  return template
    .replace(/\\t/g, '\t')
    .replace(/\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g, (_match, json: string | undefined, path: string) => {
      let value: unknown = data
      for (const key of path.split('.').filter(Boolean)) value = (value as Record<string, unknown> | undefined)?.[key]
      if (json) return JSON.stringify(value ?? null)
      if (value === undefined || value === null) return '<no value>'
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
    })
}

/** Aligns tab-separated rows like Go's tabwriter as docker configures it (min width 20 for the table, padding 3). */
export function alignColumns(rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length)
    })
  }
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] + 3))).join(''))
    .join('\n')
}
