import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { VyosNode } from './vyos-config.ts'
import { type NodeDef, VYOS_SCHEMA } from './vyos-schema.ts'
import { compareNodes } from './vyos-tree.ts'

/**
 * `set`, `delete` and `edit` on a working config, with VyOS 1.2's answers when a path is wrong. Two layers answer, as
 * in VyOS: the configuration-mode interpreter (vyatta-cfg functions/interpreter/vyatta-cfg-run,
 * `vyatta_cfg_validate_cmd`) first checks the words against the templates and names the first one that is not
 * there, on stderr ("Configuration path: protocols bgp 65005 [neighbour] is not valid" / "Set failed"); then the
 * config store (vyatta-cfg src/cstore/cstore.cpp) answers about values and existing nodes ("... requires a value",
 * "... already exists", "Nothing to delete (the specified node does not exist)", and for `edit` "The "edit" command
 * cannot be issued at the specified level"), which the CLI prints indented between blank lines.
 */
export interface EditResult {
  ok: boolean
  /** What VyOS prints on stdout (empty on a plain success). */
  output: string
  /** What the interpreter prints on stderr: a word the templates do not have. */
  error?: string
}

export const EDIT_HINT =
  "The twin's routers apply changes under protocols bgp (neighbor remote-as, description, shutdown, " +
  'route-reflector-client; address-family ipv4-unicast network and maximum-paths; parameters router-id and bestpath ' +
  'as-path multipath-relax) to FRR; for the rest edit startup-conf/<router>-boot.cfg and redeploy ' +
  '(clab deploy -t cilium.bgp.clab.yml --reconfigure).'

const say = (...lines: string[]) => `\n${lines.map((line) => `  ${line}\n`).join('')}\n`

type Verb = 'set' | 'delete' | 'edit'
type Step = { def: NodeDef; words: string[] }

class PathError extends Error {
  constructor(
    message: string,
    readonly stderr = false,
  ) {
    super(message)
  }
}

/**
 * The schema nodes along `level` then `words` (what was typed at that edit level); throws PathError with VyOS's lines,
 * or NotEmulatedError for a real path.
 */
function resolve(verb: Verb, level: string[], typed: string[]): Step[] {
  const words = [...level, ...typed]
  const path = words.join(' ')
  const failed = `${verb[0].toUpperCase()}${verb.slice(1)} failed`
  const invalid = (i: number) => {
    // The interpreter's message names what was typed before the word in front of it, and the word in brackets.
    const before = words.slice(level.length, i).join(' ')
    return new PathError(
      say(`Configuration path: ${before ? `${before} ` : ''}[${words[i]}] is not valid`, failed),
      true,
    )
  }
  const steps: Step[] = []
  let def = VYOS_SCHEMA
  for (let i = 0; i < words.length; ) {
    const name = words[i]
    const child = def.children?.[name]
    if (!child) {
      if (def.real?.includes(name))
        throw new NotEmulatedError('vyos', `${verb} ${words.slice(0, i + 1).join(' ')}`, EDIT_HINT)
      throw invalid(i)
    }
    if (child.kind === 'tag' || child.kind === 'leaf') {
      const value = words[i + 1]
      if (value === undefined) {
        if (verb === 'set') throw new PathError(say(`Configuration path: [${path}] requires a value`, failed))
        steps.push({ def: child, words: [name] })
        i += 1
      } else {
        const reason = child.check?.(value)
        if (reason) throw new PathError(say(reason, 'Value validation failed', failed))
        steps.push({ def: child, words: [name, value] })
        i += 2
      }
    } else {
      steps.push({ def: child, words: [name] })
      i += 1
    }
    if ((child.kind === 'leaf' || child.kind === 'valueless') && i < words.length) throw invalid(i)
    def = child
  }
  if (steps.length === 0) throw new PathError(say(`Configuration path: [] is not valid`, failed))
  return steps
}

/** The node a step names among `nodes`: a leaf by its name (its value may change), anything else by all words. */
function find(nodes: VyosNode[], step: Step): number {
  if (step.def.kind === 'leaf') return nodes.findIndex((node) => node.words[0] === step.words[0] && !node.children)
  return nodes.findIndex((node) => node.words.join(' ') === step.words.join(' '))
}

function insertSorted(nodes: VyosNode[], node: VyosNode): void {
  const at = nodes.findIndex((other) => compareNodes(other, node) > 0)
  nodes.splice(at === -1 ? nodes.length : at, 0, node)
}

function attempt(verb: Verb, level: string[], typed: string[], edit: (steps: Step[]) => EditResult): EditResult {
  try {
    return edit(resolve(verb, level, typed))
  } catch (error) {
    if (!(error instanceof PathError)) throw error
    return error.stderr ? { ok: false, output: '', error: error.message } : { ok: false, output: error.message }
  }
}

/** `set <words>` at the edit level `level` (the words `edit` went down, [] at the top). */
export function setPath(tree: VyosNode[], typed: string[], level: string[] = []): EditResult {
  const words = [...level, ...typed]
  return attempt('set', level, typed, (steps) => {
    let nodes = tree
    for (const [index, step] of steps.entries()) {
      const last = index === steps.length - 1
      const at = find(nodes, step)
      const existing = at === -1 ? undefined : nodes[at]
      if (step.def.kind === 'leaf' || step.def.kind === 'valueless') {
        if (existing && existing.words.join(' ') === step.words.join(' '))
          return { ok: false, output: say(`Configuration path: [${words.join(' ')}] already exists`) }
        if (existing) existing.words = step.words
        else insertSorted(nodes, { words: step.words, line: 0 })
        return { ok: true, output: '' }
      }
      if (existing && last) return { ok: false, output: say(`Configuration path: [${words.join(' ')}] already exists`) }
      const node = existing ?? { words: step.words, line: 0, children: [] }
      if (!existing) insertSorted(nodes, node)
      node.children ??= []
      nodes = node.children
    }
    return { ok: true, output: '' }
  })
}

export function deletePath(tree: VyosNode[], typed: string[], level: string[] = []): EditResult {
  return attempt('delete', level, typed, (steps) => {
    const parents: Array<{ nodes: VyosNode[]; step: Step }> = []
    let nodes = tree
    for (const [index, step] of steps.entries()) {
      const last = index === steps.length - 1
      // `delete ... neighbor` without a value removes every neighbor, as VyOS deletes a whole tag node.
      const matches =
        last && step.words.length === 1 && step.def.kind === 'tag'
          ? nodes.filter((node) => node.words[0] === step.words[0])
          : [nodes[find(nodes, step)]].filter(
              (node): node is VyosNode =>
                !!node && (step.def.kind !== 'leaf' || step.words.length === 1 || node.words[1] === step.words[1]),
            )
      if (matches.length === 0) {
        const what = step.def.kind === 'leaf' && step.words.length > 1 && last ? 'value' : 'node'
        return { ok: true, output: say(`Nothing to delete (the specified ${what} does not exist)`) }
      }
      if (last) {
        for (const match of matches) nodes.splice(nodes.indexOf(match), 1)
        break
      }
      parents.push({ nodes, step })
      nodes = matches[0].children ?? []
    }
    // A plain container left empty goes too (VyOS does not keep `bestpath { }` once its last child is deleted).
    for (const { nodes: siblings, step } of parents.reverse()) {
      const at = find(siblings, step)
      if (step.def.kind !== 'node' || siblings[at]?.children?.length) break
      siblings.splice(at, 1)
    }
    return { ok: true, output: '' }
  })
}

/**
 * `edit <words>`: the new edit level, creating the node when it does not exist yet (cstore.cpp getEditEnv "follows
 * the original implementation and does a set"). Only a plain node or a tag node with its value can be a level.
 */
export function editPath(tree: VyosNode[], typed: string[], level: string[]): EditResult & { level?: string[] } {
  const words = [...level, ...typed]
  return attempt('edit', level, typed, (steps) => {
    const last = steps[steps.length - 1]
    const isLevel = last.def.kind === 'node' || (last.def.kind === 'tag' && last.words.length === 2)
    if (!isLevel) return { ok: false, output: 'The "edit" command cannot be issued at the specified level\n' }
    if (!subtreeExists(tree, steps)) setPath(tree, words)
    return { ok: true, output: '', level: words }
  })
}

function subtreeExists(tree: VyosNode[], steps: Step[]): boolean {
  let nodes = tree
  for (const step of steps) {
    const node = nodes[find(nodes, step)]
    if (!node?.children) return false
    nodes = node.children
  }
  return true
}

/** `up`: one level up, two from a tag node's value (`neighbor 10.1.5.10` to the bgp level); undefined at the top. */
export function levelUp(level: string[]): string[] | undefined {
  if (level.length === 0) return undefined
  const steps = resolve('edit', [], level)
  const last = steps[steps.length - 1]
  return level.slice(0, level.length - last.words.length)
}
