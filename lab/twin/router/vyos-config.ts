import { LabError } from '../../lab-error.ts'

/**
 * Parser for the VyOS 1.2 `config.boot` format: a curly-brace tree of statements, one per line, with C-style
 * comments. `ethernet eth1 {` opens a node with words ["ethernet", "eth1"]; `address 10.1.10.1/24` is a leaf.
 */
export interface VyosNode {
  words: string[]
  /** Present when the statement opened a `{ }` block (possibly empty, like `network 10.1.5.0/24 { }`). */
  children?: VyosNode[]
  line: number
}

export function vyosError(file: string, line: number, message: string): LabError {
  return new LabError('TWIN_VYOS_CONFIG', `${file}:${line}: ${message}`)
}

/** Splits one line into words, honouring double quotes (`plaintext-password ""`). */
function splitWords(text: string, file: string, line: number): string[] {
  const words: string[] = []
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g
  for (const match of text.matchAll(pattern)) {
    if (match[2]?.includes('"')) throw vyosError(file, line, `unterminated quoted string`)
    words.push(match[1] ?? match[2])
  }
  return words
}

function stripComments(source: string, file: string): string {
  // Keeps newlines inside comments so line numbers stay right.
  return source.replace(/\/\*[\s\S]*?(\*\/|$)/g, (comment, end: string, offset: number) => {
    if (!end) throw vyosError(file, source.slice(0, offset).split('\n').length, 'unterminated comment (missing */)')
    return comment.replace(/[^\n]/g, ' ')
  })
}

export function parseVyosConfig(source: string, file: string): VyosNode[] {
  const root: VyosNode[] = []
  const stack: Array<{ children: VyosNode[]; line: number; words: string[] }> = [{ children: root, line: 0, words: [] }]
  const lines = stripComments(source, file).split('\n')
  lines.forEach((raw, index) => {
    const line = index + 1
    let text = raw.trim()
    if (!text) return
    if (text === '}') {
      if (stack.length === 1) throw vyosError(file, line, "unexpected '}' (no block is open)")
      stack.pop()
      return
    }
    const opens = text.endsWith('{')
    if (opens) text = text.slice(0, -1).trim()
    if (/[{}]/.test(text)) throw vyosError(file, line, `unexpected brace in "${raw.trim()}"`)
    const words = splitWords(text, file, line)
    if (words.length === 0) throw vyosError(file, line, "'{' without a statement name")
    const node: VyosNode = { words, line }
    stack[stack.length - 1].children.push(node)
    if (opens) {
      node.children = []
      stack.push({ children: node.children, line, words })
    }
  })
  if (stack.length > 1) {
    const open = stack[stack.length - 1]
    throw vyosError(file, open.line, `block "${open.words.join(' ')}" is never closed (missing '}')`)
  }
  return root
}

/** The children of the first node at `path` (each element matches a node's first word), or []. */
export function childrenAt(nodes: VyosNode[], ...path: string[]): VyosNode[] {
  let current = nodes
  for (const name of path) {
    const next = current.find((node) => node.words[0] === name)
    if (!next) return []
    current = next.children ?? []
  }
  return current
}
