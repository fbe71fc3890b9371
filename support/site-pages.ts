/** Every page of a built site, as the paths the runner serves them at (clean URLs: `guide/authoring`, `zh/`). */
import { readdirSync } from 'node:fs'
import { relative } from 'node:path'

export function sitePages(outDir: string): string[] {
  return readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() && entry.name.endsWith('.html') && !relative(outDir, entry.parentPath).startsWith('assets'),
    )
    .map((entry) =>
      relative(outDir, `${entry.parentPath}/${entry.name}`)
        .replace(/\.html$/, '')
        .replace(/(^|\/)index$/, '$1'),
    )
    .sort()
}
