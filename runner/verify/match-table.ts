/**
 * Finds a row of a whitespace-aligned table (kubectl, vtysh, gobgp) whose columns hold given values. Columns are
 * named by the header line; a header name may contain single spaces (`IPS AVAILABLE`), cells may be right-aligned.
 */

export interface TableQuery {
  columns: Record<string, string>
  header?: string
}

export interface TableMatch {
  ok: boolean
  /** The rows read, as `column=value` lists, for expected-vs-actual. */
  rows: Record<string, string>[]
  error?: string
}

export function matchTable(text: string, query: TableQuery): TableMatch {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  const headerIndex = query.header === undefined ? 0 : lines.findIndex((line) => line.includes(query.header!))
  if (headerIndex < 0 || lines.length === 0)
    return { ok: false, rows: [], error: query.header ? `no header line containing "${query.header}"` : 'no output' }
  const header = lines[headerIndex]
  const rows = lines.slice(headerIndex + 1).map((line) => readRow(header, line))
  const missing = Object.keys(query.columns).filter((name) => !columnsOf(header).some((c) => c.name === name))
  if (missing.length > 0)
    return {
      ok: false,
      rows,
      error: `no column ${missing.map((m) => `"${m}"`).join(', ')} in header "${header.trim()}"`,
    }
  const ok = rows.some((row) =>
    Object.entries(query.columns).every(([name, expected]) => cellMatches(row[name] ?? '', expected)),
  )
  return { ok, rows }
}

function cellMatches(cell: string, expected: string): boolean {
  const regex = /^\/(.*)\/([imsu]*)$/.exec(expected)
  return regex ? new RegExp(regex[1], regex[2]).test(cell) : cell.trim() === expected.trim()
}

interface Column {
  name: string
  start: number
  end: number
}

/** Header names split on runs of two or more spaces, with their character spans. */
function columnsOf(header: string): Column[] {
  return [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({
    name: m[0],
    start: m.index!,
    end: m.index! + m[0].length,
  }))
}

function readRow(header: string, line: string): Record<string, string> {
  const columns = columnsOf(header)
  const tokens = [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index!, end: m.index! + m[0].length }))
  const row: Record<string, string> = {}
  if (tokens.length === columns.length) {
    columns.forEach((column, i) => (row[column.name] = tokens[i].text))
    return row
  }
  // Ragged rows (empty cells, multi-word cells): give each token to the column whose span it overlaps most,
  // or the nearest column start to its left.
  for (const token of tokens) {
    let best = 0
    let bestScore = -Infinity
    columns.forEach((column, i) => {
      const overlap = Math.min(token.end, column.end) - Math.max(token.start, column.start)
      const score =
        overlap > 0 ? overlap : column.start <= token.start ? -(token.start - column.start) / 1000 : -Infinity
      if (score > bestScore) {
        bestScore = score
        best = i
      }
    })
    const name = columns[best]?.name
    if (name) row[name] = row[name] ? `${row[name]} ${token.text}` : token.text
  }
  return row
}
