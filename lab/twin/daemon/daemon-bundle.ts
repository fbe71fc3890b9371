/**
 * The twin daemon as one pre-built ES module. Run through tsx, the daemon carries tsx's loader (a worker thread that
 * compiles each source on import): about a third of its resident memory for the lab's whole life (bench/lab). A bundle
 * built once by esbuild and kept in a cache needs no loader; it is rebuilt when any of its sources changes (the cache
 * records a hash of every input) and the caller falls back to tsx when it cannot be built.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const ENTRY = join(REPO, 'lab', 'twin', 'daemon', 'main.ts')

/** Where bundles are kept: beside other build caches in node_modules, never in the learner's files. */
export const DEFAULT_BUNDLE_CACHE = join(REPO, 'node_modules', '.cache', 'twin-daemon')

/** The record of the last build: the bundle file and a hash of each input, by path relative to the repository. */
interface Manifest {
  bundle: string
  inputs: Record<string, string>
}

const STALE_AFTER_MS = 10 * 60_000

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

function readManifest(cacheDir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')) as Manifest
  } catch {
    return undefined
  }
}

/** True when the bundle exists and every input still has the content it was built from. */
function upToDate(cacheDir: string, manifest: Manifest): boolean {
  try {
    return (
      existsSync(join(cacheDir, manifest.bundle)) &&
      Object.entries(manifest.inputs).every(([path, hash]) => sha(readFileSync(join(REPO, path))) === hash)
    )
  } catch {
    return false
  }
}

/** Writes a file under a temporary name, then renames it: labs starting at once never read a half-written file. */
function writeAtomically(file: string, data: string): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, data)
  renameSync(temporary, file)
}

async function build(cacheDir: string): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    // Packages stay imports, found from node_modules at run time (the cache lives inside it).
    packages: 'external',
    logLevel: 'silent',
    // Classes keep their names when the bundle renames a clashing one: error names in the lab's logs come from them.
    keepNames: true,
    plugins: [
      {
        // Each module keeps its own import.meta.url (shims find client.pl beside shims.ts, the workspace is found
        // relative to copy-workspace.ts), not the bundle's.
        name: 'own-import-meta-url',
        setup(plugin) {
          plugin.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: 'ts',
          }))
        },
      },
    ],
  })
  const code = result.outputFiles[0].text
  const inputs: Record<string, string> = {}
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = relative(REPO, resolve(input))
    inputs[path] = sha(readFileSync(join(REPO, path)))
  }
  const bundle = `daemon-${sha(JSON.stringify(inputs)).slice(0, 16)}.mjs`
  mkdirSync(cacheDir, { recursive: true })
  writeAtomically(join(cacheDir, bundle), code)
  writeAtomically(join(cacheDir, 'manifest.json'), JSON.stringify({ bundle, inputs } satisfies Manifest, null, 1))
  removeStale(cacheDir, bundle)
  return join(cacheDir, bundle)
}

/** Bundles of older sources go once no lab can still be about to start from them (a running daemon has read its file). */
function removeStale(cacheDir: string, keep: string): void {
  for (const name of readdirSync(cacheDir)) {
    const file = join(cacheDir, name)
    if (name !== keep && /^daemon-\w+\.mjs$/.test(name) && Date.now() - statSync(file).mtimeMs > STALE_AFTER_MS)
      rmSync(file, { force: true })
  }
}

/**
 * The daemon bundle for the current sources: the cached one when no input changed, else a fresh build. Throws when
 * esbuild is missing or the build fails (the caller runs the daemon through tsx then).
 */
export async function daemonBundle(cacheDir = DEFAULT_BUNDLE_CACHE): Promise<string> {
  const manifest = readManifest(cacheDir)
  if (manifest && upToDate(cacheDir, manifest)) return join(cacheDir, manifest.bundle)
  return build(cacheDir)
}
