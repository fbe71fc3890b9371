/**
 * What a site build reads, and one sha256 over its content: the pages, the chapter files, everything under
 * `.vitepress/` (config, theme, markdown plugins), every repository file those import (`protocol/`, parts of
 * `toolchain/course/`), the package lock and the installed VitePress version. Staleness is decided on this hash, not on
 * mtimes: a build itself touches `.vitepress/` (Vite writes its bundled config beside `config.ts` for a moment), so
 * comparing times rebuilt at almost every start.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'

export interface SiteSources {
  /** Repository root (where `.vitepress/` lives). */
  root: string
  docsDir: string
  stepsDir: string
  /** What the runner serves: a link to the current build, swapped when a new one is complete. */
  outDir: string
}

/** Files whose relative imports are followed, so a module the theme or config reads from elsewhere counts too. */
const CODE = /\.(?:[cm]?[jt]s|vue|md)$/
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"\n]+)['"]/g
/** Vite's bundled config, written beside `config.ts` during a build (possibly another one's, at the same time). */
const VITE_CONFIG_TEMP = /\.timestamp-\d+-[0-9a-f]+\.mjs$/

export function siteHash(sources: SiteSources): string {
  const hash = createHash('sha256')
  for (const file of siteInputs(sources)) {
    hash.update(`${relative(sources.root, file)}\0${createHash('sha256').update(readFileSync(file)).digest('hex')}\n`)
  }
  hash.update(`vitepress ${installedVitepress(sources.root)}\n`)
  return hash.digest('hex')
}

/** Every file a build of `sources` reads from the repository, sorted (the hash must not depend on listing order). */
export function siteInputs(sources: SiteSources): string[] {
  const outputs = [sources.outDir, join(sources.root, '.vitepress/cache')]
  // The out dir's siblings (`dist.<hash>`, `dist-cache`, `dist.lock`) are this module's own, never inputs.
  const skipped = (path: string) =>
    basename(path) === 'node_modules' ||
    VITE_CONFIG_TEMP.test(path) ||
    outputs.some(
      (out) => path === out || path.startsWith(`${out}.`) || path.startsWith(`${out}-`) || path.startsWith(out + sep),
    )
  const files = new Set<string>()
  const walk = (path: string): void => {
    if (skipped(path) || !existsSync(path)) return
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name))
    } else files.add(path)
  }
  for (const dir of [sources.docsDir, sources.stepsDir, join(sources.root, '.vitepress')]) walk(dir)
  const lock = join(sources.root, 'package-lock.json')
  if (existsSync(lock)) files.add(lock)

  const pending = [...files]
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (!CODE.test(file)) continue
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolveImport(resolve(dirname(file), specifier))
      if (target && !files.has(target) && !skipped(target) && target.startsWith(sources.root + sep)) {
        files.add(target)
        pending.push(target)
      }
    }
  }
  return [...files].sort()
}

/** The file an extensionless or `.js`-for-`.ts` specifier names, as the bundler would find it; null when none. */
function resolveImport(path: string): string | null {
  const candidates = [
    path,
    `${path}.ts`,
    `${path}.js`,
    `${path}.vue`,
    path.replace(/\.js$/, '.ts'),
    join(path, 'index.ts'),
  ]
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null
}

function installedVitepress(root: string): string {
  const manifest = join(root, 'node_modules/vitepress/package.json')
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : 'missing'
}
