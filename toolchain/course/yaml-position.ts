/**
 * Maps a field path (from zod or a cross-check) back to a line and column of the YAML source, so a mistake is
 * reported where the author wrote it.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml'

export interface Position {
  line: number
  column: number
}

/** Where `path` is in `doc`: the deepest node of the path that exists (the parent when a field is missing). */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  key?: string,
): Position {
  let node: Node | null = doc.contents as Node | null
  let offset = node?.range?.[0] ?? 0
  for (const segment of key === undefined ? path : [...path, key]) {
    const next = childOf(node, segment)
    if (!next) break
    node = next.value ?? next.key
    offset = (key !== undefined && segment === key ? next.key?.range?.[0] : node?.range?.[0]) ?? offset
  }
  const { line, col } = lineCounter.linePos(offset)
  return { line, column: col }
}

function childOf(node: Node | null, segment: PropertyKey): { key: Node | null; value: Node | null } | null {
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined
    return item ? { key: null, value: item } : null
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key = isScalar(pair.key) ? pair.key.value : pair.key
      if (String(key) === String(segment))
        return { key: pair.key as Node, value: (pair.value as Node | null) ?? (pair.key as Node) }
    }
  }
  return null
}
