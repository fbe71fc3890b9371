/** A bullet, numbered item or list mark that starts a line of its own (formatter.go `bullet`). */
const BULLET = /^(\d+\.?|-|\*)\s/

/** shouldStartNewLine: after a word ending in `:`, before a code block, an empty line or a list item. */
function startsNewLine(lastWord: string, line: string): boolean {
  if (lastWord.endsWith(':')) return true
  if (line.startsWith('    ')) return true
  const trimmed = line.trim()
  return trimmed.length === 0 || BULLET.test(trimmed)
}

/**
 * kubectl explain's word wrapper (k8s.io/kubectl/pkg/explain/formatter.go wrapString, 1.23): words joined up to
 * `width` columns, an over-long word alone on its line; code blocks kept as they are, empty lines after the first
 * line kept, and a new line started where the text's own line break looks meant.
 */
export function wrapText(text: string, width: number): string[] {
  const wrapped: string[] = []
  let words: string[] = []
  let lastWord = ''
  const flush = () => {
    if (words.length === 0) return
    lastWord = ''
    wrapped.push(words.join(' '))
    words = []
  }
  for (const line of text.split('\n')) {
    if (line.startsWith('    ')) {
      flush()
      wrapped.push(line)
      continue
    }
    if (wrapped.length > 0 && line.trim().length === 0) {
      flush()
      wrapped.push('')
      continue
    }
    if (startsNewLine(lastWord, line)) flush()
    for (const word of line.split(/\s+/).filter(Boolean)) {
      lastWord = word
      // line.Len() counts bytes, as Go's len does.
      if (words.length > 0 && Buffer.byteLength([...words, word].join(' ')) > width) flush()
      words.push(word)
    }
  }
  flush()
  return wrapped
}

/** formatter.go Formatter: writes lines at an indentation (an empty line gets none), wrapped at 80 columns. */
export class ExplainWriter {
  private readonly lines: string[]

  constructor(
    private readonly indent = 0,
    lines: string[] = [],
  ) {
    this.lines = lines
  }

  /** Formatter.Indent: the same output, `more` columns further in. */
  nested(more: number): ExplainWriter {
    return new ExplainWriter(this.indent + more, this.lines)
  }

  /** Formatter.Write: one string (which may end in its own `\n`), indented. */
  write(text: string): this {
    this.lines.push(text === '' ? '\n' : `${' '.repeat(this.indent)}${text}\n`)
    return this
  }

  /** Formatter.WriteWrapped with Wrap 80: the text wrapped to what is left of 80 columns after the indentation. */
  wrapped(text: string): this {
    for (const line of wrapText(text, 80 - this.indent)) this.write(line)
    return this
  }

  toString(): string {
    return this.lines.join('')
  }
}
