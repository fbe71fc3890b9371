/**
 * The layers of the tree and the one rule each keeps, checked on every relative import (docs/guide/architecture.md
 * draws them). A move that breaks a rule fails here with the file, the import and the rule, instead of surfacing
 * later as a browser bundle that pulls in Node, or a runner that knows about FRR.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')

interface Layer {
  /** Files of the layer: a path prefix. The first layer whose prefix matches a file owns it. */
  prefix: string
  /** Path prefixes it may import (its own prefix is always allowed). */
  may: string[]
  /** Whether it may import Node's modules (`node:*`): not in code that runs in the browser. */
  node: boolean
  rule: string
}

const LAYERS: Layer[] = [
  {
    prefix: 'protocol/',
    may: [],
    node: false,
    rule: 'the contract: browser, runner, hub and toolchain depend on it, it on nothing of ours',
  },
  { prefix: 'http/', may: ['protocol/'], node: true, rule: 'HTTP serving shared by the runner and the hub' },
  {
    prefix: 'lab/',
    may: ['protocol/'],
    node: true,
    rule: 'the labs behind LabBackend: they know nothing of the runner, the hub or the course toolchain',
  },
  {
    prefix: 'runner/',
    may: ['protocol/', 'http/', 'lab/backend.ts'],
    node: true,
    rule: 'the runtime sees a lab only through the LabBackend interface',
  },
  {
    prefix: 'instructor/',
    may: ['protocol/', 'http/'],
    node: true,
    rule: 'the hub observes runners through the protocol only',
  },
  {
    prefix: 'toolchain/self-test/',
    may: ['protocol/', 'toolchain/', 'runner/', 'lab/backend.ts'],
    node: true,
    rule: 'the course self-test drives a runner against a lab it is given',
  },
  {
    prefix: 'toolchain/',
    may: ['protocol/'],
    node: true,
    rule: 'the course toolchain reads the course and builds the site, without the runtime',
  },
  {
    prefix: 'hosting/',
    may: ['protocol/', 'http/', 'runner/', 'instructor/', 'lab/'],
    node: true,
    rule: 'hosted labs compose a runner and a sandboxed lab per learner for the hub',
  },
  {
    prefix: '.vitepress/theme/',
    may: ['protocol/'],
    node: false,
    rule: 'the browser code talks to the runner through the protocol only',
  },
  {
    prefix: '.vitepress/',
    may: ['protocol/', 'toolchain/course/'],
    node: true,
    rule: 'the site build reads the course through the toolchain',
  },
  {
    prefix: 'scripts/',
    may: ['protocol/', 'http/', 'lab/', 'runner/', 'instructor/', 'hosting/', 'toolchain/'],
    node: true,
    rule: 'entry points compose the parts, never test or bench code',
  },
]

const isTestOrBench = (file: string) => /\.test\.ts$/.test(file) || /^(test|bench|support)\//.test(file)

function sources(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|mts|vue|mjs)$/.test(f) && !f.startsWith('node_modules/'))
}

/** Every import of a file: relative ones resolved from the root, and `node:` ones. */
function importsOf(file: string): string[] {
  let text: string
  try {
    text = readFileSync(join(root, file), 'utf8')
  } catch {
    return [] // listed but deleted in the working tree
  }
  const specs = [
    ...text.matchAll(
      /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3])
  return specs.map((s) => (s.startsWith('.') ? normalize(join(dirname(file), s)) : s))
}

function violations(): string[] {
  const found: string[] = []
  for (const file of sources()) {
    for (const target of importsOf(file)) {
      const relative =
        (!target.startsWith('node:') &&
          target.includes('/') &&
          !target.startsWith('@') &&
          LAYERS.some((l) => target.startsWith(l.prefix))) ||
        /^(test|bench|support)\//.test(target)
      if (isTestOrBench(file)) {
        if (/^(test|bench)\//.test(target) && !target.startsWith(`${file.split('/')[0]}/`)) {
          found.push(`${file} imports ${target}: tests and benches share support only through support/`)
        }
        continue
      }
      const layer = LAYERS.find((l) => file.startsWith(l.prefix))
      if (!layer) continue
      if (target.startsWith('node:')) {
        if (!layer.node) found.push(`${file} imports ${target}: ${layer.prefix} runs in the browser (${layer.rule})`)
        continue
      }
      if (!relative) continue
      if (/^(test|bench|support)\//.test(target)) {
        found.push(`${file} imports ${target}: production code never imports test, bench or support code`)
        continue
      }
      if (target.startsWith(layer.prefix) || layer.may.some((p) => target.startsWith(p))) continue
      found.push(
        `${file} imports ${target}: ${layer.prefix} may import only ${[layer.prefix, ...layer.may].join(', ')} (${layer.rule})`,
      )
    }
  }
  return found
}

describe('layers', () => {
  it("every import keeps its layer's rule", () => {
    expect(violations()).toEqual([])
  })

  it('finds a broken rule (the check itself can fail)', () => {
    const runner = LAYERS.find((l) => l.prefix === 'runner/')!
    expect(runner.may.some((p) => 'lab/twin/backend.ts'.startsWith(p))).toBe(false)
    expect(importsOf('runner/runner.ts')).toContain('lab/backend.ts')
  })
})
