import type { VyosNode } from './vyos-config.ts'

/**
 * The VyOS config tree as VyOS 1.2 prints it: the boot-file format (`show configuration`, `save`), the flattened
 * `set` commands (`show configuration commands`), and the two views of a working config against the running one,
 * `show` with a marker column (+ added, - deleted, > replaced) and `compare` with `[edit <path>]` headers (the
 * formats of the VyOS documentation's "Configuration Overview", docs/configuration/index.rst in vyos-documentation).
 */

/** Numbers compare as numbers inside names, as VyOS orders tag values (10.1.5.10 before 10.1.10.2). */
export function naturalCompare(a: string, b: string): number {
  const chunks = (text: string) => text.match(/\d+|\D+/g) ?? []
  const [x, y] = [chunks(a), chunks(b)]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue
    const numeric = /^\d/.test(x[i]) && /^\d/.test(y[i])
    return numeric ? Number(x[i]) - Number(y[i]) || x[i].length - y[i].length : x[i] < y[i] ? -1 : 1
  }
  return x.length - y.length
}

/** Node order in a VyOS config: by name, then tag values in natural order. */
export function compareNodes(a: VyosNode, b: VyosNode): number {
  return naturalCompare(a.words[0], b.words[0]) || naturalCompare(a.words[1] ?? '', b.words[1] ?? '')
}

/** A leaf with a value (`remote-as 65005`), as opposed to a tag node (`neighbor 10.1.5.10 { }`). */
const isValueLeaf = (node: VyosNode) => !node.children && node.words.length > 1

/** The same node in the other tree: tag nodes and valueless leaves by all words, a valued leaf by name. */
function sameNode(a: VyosNode, b: VyosNode): boolean {
  if (isValueLeaf(a) && isValueLeaf(b)) return a.words[0] === b.words[0]
  return !!a.children === !!b.children && a.words.join(' ') === b.words.join(' ')
}

function quoteBoot(word: string): string {
  return word === '' || /[\s"'{};#]/.test(word) ? `"${word.replace(/(["\\])/g, '\\$1')}"` : word
}

/** One node and its subtree as boot-file lines, indented four spaces per level. */
function nodeLines(node: VyosNode, depth: number): string[] {
  const pad = '    '.repeat(depth)
  const head = pad + node.words.map(quoteBoot).join(' ')
  if (!node.children) return [head]
  return [`${head} {`, ...node.children.flatMap((child) => nodeLines(child, depth + 1)), `${pad}}`]
}

/** The boot-file text of a tree (without the version footer). */
export function printConfig(nodes: VyosNode[]): string {
  return nodes
    .flatMap((node) => nodeLines(node, 0))
    .map((line) => `${line}\n`)
    .join('')
}

/** `show configuration commands`: one `set` per leaf or empty node, the last value quoted as VyOS does. */
export function printCommands(nodes: VyosNode[], prefix: string[] = []): string[] {
  return nodes.flatMap((node) => {
    if (node.children?.length) return printCommands(node.children, [...prefix, ...node.words])
    const [name, ...values] = node.words
    const last = values.length ? ` '${values.join(' ').replace(/'/g, "'\\''")}'` : ''
    return [`set ${[...prefix, name].join(' ')}${last}`]
  })
}

/** A child of `running` or `candidate` with what happened to it. */
type Merged = { node: VyosNode; before?: VyosNode; after?: VyosNode }

/** Both trees' children in config order: the candidate's, with deleted nodes back at their place. */
function merge(running: VyosNode[], candidate: VyosNode[]): Merged[] {
  const merged: Merged[] = candidate.map((node) => ({
    node,
    after: node,
    before: running.find((old) => sameNode(old, node)),
  }))
  for (const old of running) {
    if (candidate.some((node) => sameNode(old, node))) continue
    const at = merged.findIndex((entry) => compareNodes(entry.node, old) > 0)
    merged.splice(at === -1 ? merged.length : at, 0, { node: old, before: old })
  }
  return merged
}

function changed(running: VyosNode[], candidate: VyosNode[]): boolean {
  return printConfig(running) !== printConfig(candidate)
}

/** `show` in configuration mode: the working config with the marker column. */
export function showWithMarkers(running: VyosNode[], candidate: VyosNode[], depth = 0): string[] {
  return merge(running, candidate).flatMap(({ node, before, after }) => {
    const mark = (marker: string, lines: string[]) => lines.map((line) => marker + line)
    if (!before) return mark('+', nodeLines(node, depth))
    if (!after) return mark('-', nodeLines(node, depth))
    if (!node.children)
      return mark(before.words.join(' ') === after.words.join(' ') ? ' ' : '>', nodeLines(after, depth))
    const pad = '    '.repeat(depth)
    return [
      ` ${pad}${after.words.map(quoteBoot).join(' ')} {`,
      ...showWithMarkers(before.children ?? [], after.children ?? [], depth + 1),
      ` ${pad}}`,
    ]
  })
}

/** `compare`: each level with changes under an `[edit <path>]` header, its changed children relative to it. */
export function compareTrees(running: VyosNode[], candidate: VyosNode[], path: string[] = []): string[] {
  const here: string[] = []
  const below: string[] = []
  for (const { node, before, after } of merge(running, candidate)) {
    if (!before) here.push(...nodeLines(node, 0).map((line) => `+${line}`))
    else if (!after) here.push(...nodeLines(node, 0).map((line) => `-${line}`))
    else if (!node.children) {
      if (before.words.join(' ') !== after.words.join(' ')) here.push(`>${nodeLines(after, 0)[0]}`)
    } else if (changed(before.children ?? [], after.children ?? [])) {
      below.push(...compareTrees(before.children ?? [], after.children ?? [], [...path, ...after.words]))
    }
  }
  return [...(here.length ? [`[edit${path.length ? ` ${path.join(' ')}` : ''}]`, ...here] : []), ...below]
}

/** A deep copy (a session edits its own working config). */
export function cloneTree(nodes: VyosNode[]): VyosNode[] {
  return nodes.map((node) => ({
    words: [...node.words],
    line: node.line,
    ...(node.children ? { children: cloneTree(node.children) } : {}),
  }))
}
