/**
 * The code highlighter's GitHub themes draw strings, keywords, numbers and comments below WCAG AA contrast (4.5:1) on
 * VitePress's code block backgrounds (e.g. `#22863a` on `#f6f6f7` is 4.28:1). Each such color is swapped for the
 * matching color of GitHub's newer Primer palette, which reads at 4.5:1 or better on both backgrounds.
 */
import type { MarkdownOptions } from 'vitepress'

type CodeTransformer = NonNullable<MarkdownOptions['codeTransformers']>[number]

const READABLE: Record<string, string> = {
  // github-light on #f6f6f7
  '--shiki-light:#22863a': '--shiki-light:#116329',
  '--shiki-light:#d73a49': '--shiki-light:#CF222E',
  '--shiki-light:#e36209': '--shiki-light:#953800',
  '--shiki-light:#6a737d': '--shiki-light:#57606A',
  // github-dark on #161618
  '--shiki-dark:#6a737d': '--shiki-dark:#8B949E',
}
const PATTERN = new RegExp(Object.keys(READABLE).join('|'), 'gi')

export const readableCodeColors: CodeTransformer = {
  name: 'lab:readable-code-colors',
  span(node) {
    const style = node.properties.style
    if (typeof style === 'string')
      node.properties.style = style.replace(PATTERN, (match) => READABLE[match.toLowerCase()])
  },
}
