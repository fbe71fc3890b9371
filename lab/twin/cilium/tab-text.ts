import { tabwrite } from '../kubectl/tabwriter.ts'

/**
 * What a Go program printing `text` through text/tabwriter (AlignLeft, spaces) shows: the agent CLI writes rows as
 * tab-terminated cells and newlines, so writing the same stream here keeps its quirks (padded trailing cells, rows
 * split across lines).
 */
export function tabwriteText(text: string, minWidth: number, padding: number): string {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return tabwrite(
    lines.map((line) => line.split('\t')),
    { minWidth, padding },
  )
}
