import { ansic, type Release } from './release-store.ts'

/**
 * helm 3's printers (helm.sh/helm/v3 cmd/helm): status.go's statusPrinter.WriteTable (also what install and upgrade
 * print), history.go's table, and the uitable layout list and history share.
 */

/** `NAME: ...` through `NOTES:`, as statusPrinter writes it; the lab's charts have no test hooks. */
export function statusText(release: Release, notes: string): string {
  return (
    `NAME: ${release.name}\nLAST DEPLOYED: ${ansic(release.updated)}\nNAMESPACE: ${release.namespace}\nSTATUS: ${release.status}\n` +
    `REVISION: ${release.revision}\nTEST SUITE: None\nNOTES:\n${notes.trim()}\n`
  )
}

/** gosuri/uitable as helm sets it up: cells padded to the column's width (at most `maxWidth`, cut beyond), tab-joined. */
export function uitable(rows: string[][], maxWidth = Infinity): string {
  const cut = rows.map((r) => r.map((cell) => (cell.length > maxWidth ? `${cell.slice(0, maxWidth - 3)}...` : cell)))
  const widths = cut[0].map((_, c) => Math.max(...cut.map((r) => r[c].length)))
  return cut.map((r) => `${r.map((cell, c) => cell.padEnd(widths[c])).join('\t')}\n`).join('')
}

/** `helm history`: REVISION, UPDATED, STATUS, CHART, APP VERSION, DESCRIPTION, oldest first, columns of at most 60. */
export const historyTable = (revisions: Release[]) =>
  uitable(
    [
      ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'],
      ...revisions.map((r) => [
        String(r.revision),
        ansic(r.updated),
        r.status,
        `${r.chart}-${r.version}`,
        r.appVersion,
        r.description,
      ]),
    ],
    60,
  )

/** `helm list`'s UPDATED: Go's time.String() of the UTC time (`2024-05-01 10:00:00.123 +0000 UTC`). */
export const listTime = (iso: string) => iso.replace('T', ' ').replace(/\.(\d+)Z$/, '.$1 +0000 UTC')
