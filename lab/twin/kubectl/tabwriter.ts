/** Options of Go's text/tabwriter as kubectl sets them (printers.GetNewTabWriter). */
export interface TabwriterOptions {
  /** [minWidth=6] minimal cell width including padding */
  minWidth?: number
  /** [padding=3] spaces added to the widest cell of a column */
  padding?: number
}

/**
 * Aligns tab-separated lines like Go's text/tabwriter (AlignLeft, pad with spaces): a cell ended by a tab belongs to
 * a column, the last cell of a line does not and is never padded; a column's width is decided per block of
 * consecutive lines that have a cell in it, so an empty trailing cell still gets padded.
 */
export function tabwrite(lines: string[][], options: TabwriterOptions = {}): string {
  const minWidth = options.minWidth ?? 6
  const padding = options.padding ?? 3
  const out: string[] = []
  const width = (text: string) => [...text].length
  const widths: number[] = []

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]
      out[i] = cells
        .map((cell, c) =>
          c < widths.length && c < cells.length - 1 ? cell + ' '.repeat(Math.max(0, widths[c] - width(cell))) : cell,
        )
        .join('')
    }
  }
  // Mirrors tabwriter.format: a column block is a run of lines having a cell in this column.
  const format = (from: number, to: number): void => {
    const column = widths.length
    let line0 = from
    for (let line = from; line < to; line++) {
      if (column >= lines[line].length - 1) continue
      writeLines(line0, line)
      line0 = line
      let w = minWidth
      for (; line < to && column < lines[line].length - 1; line++) w = Math.max(w, width(lines[line][column]) + padding)
      widths.push(w)
      format(line0, line)
      widths.pop()
      line0 = line
    }
    writeLines(line0, to)
  }
  format(0, lines.length)
  return out.map((l) => `${l}\n`).join('')
}
