import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deleteNamespace, listNamespaces } from './netns.ts'
import { isAlive, type ProcessRef, terminate } from './processes.ts'

/**
 * On-disk records that let a later lab clean up after a crashed one. Every lab, wherever its run dir is, has a marker
 * `/run/bgplab/labs/<id>.json` naming its run dir and the process that owns it (the twin daemon, or a test that built a
 * context directly); `<runDir>/pids/*.json` lists every daemon it started. A lab whose owner is dead is a leftover.
 */

/** Well-known so that labs with different state roots still see each other's markers. */
export const MARKER_DIR = '/run/bgplab/labs'

/**
 * Namespaces of a lab: ids look like `tw3f9a` (see createTwinContext), short so that `<id>-clab-bgp-control-plane`
 * fits the 40-char namespace budget.
 */
const LAB_NS_PATTERN = /^(tw[0-9a-f]{4})-/

interface Marker {
  owner: ProcessRef
  runDir: string
}

function markerFile(id: string): string {
  return join(MARKER_DIR, `${id}.json`)
}

export function markerExists(id: string): boolean {
  return existsSync(markerFile(id))
}

export function writeMarker(id: string, runDir: string, owner: ProcessRef): void {
  mkdirSync(MARKER_DIR, { recursive: true })
  writeFileSync(markerFile(id), JSON.stringify({ owner, runDir } satisfies Marker))
}

export function writePid(runDir: string, name: string, ref: ProcessRef): void {
  mkdirSync(join(runDir, 'pids'), { recursive: true })
  writeFileSync(join(runDir, 'pids', `${name}.json`), JSON.stringify(ref))
}

export function removePid(runDir: string, name: string): void {
  rmSync(join(runDir, 'pids', `${name}.json`), { force: true })
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return null
  }
}

export function readPids(runDir: string): Array<{ name: string; ref: ProcessRef }> {
  let files: string[] = []
  try {
    files = readdirSync(join(runDir, 'pids'))
  } catch {
    return []
  }
  return files.flatMap((file) => {
    const ref = readJson<ProcessRef>(join(runDir, 'pids', file))
    return ref ? [{ name: file.replace(/\.json$/, ''), ref }] : []
  })
}

/** Kills the lab's recorded daemons, deletes its namespaces, removes its run dir and marker. */
export async function destroyLab(id: string, runDir: string): Promise<void> {
  await Promise.all(readPids(runDir).map(({ ref }) => terminate(ref, { group: true })))
  const namespaces = (await listNamespaces()).filter((name) => name.startsWith(`${id}-`))
  for (const name of namespaces) await deleteNamespace(name)
  rmSync(runDir, { recursive: true, force: true })
  rmSync(markerFile(id), { force: true })
}

/**
 * Cleans every lab whose owner process is gone, and every namespace of a lab id that has no marker at all (a crash
 * between teardown steps). Returns the ids cleaned.
 */
export async function cleanLeftovers(): Promise<string[]> {
  const cleaned: string[] = []
  let files: string[] = []
  try {
    files = readdirSync(MARKER_DIR).filter((file) => file.endsWith('.json'))
  } catch {
    files = []
  }
  for (const file of files) {
    const id = file.replace(/\.json$/, '')
    const marker = readJson<Marker>(join(MARKER_DIR, file))
    if (marker && isAlive(marker.owner)) continue
    if (marker) await destroyLab(id, marker.runDir)
    rmSync(join(MARKER_DIR, file), { force: true })
    cleaned.push(id)
  }
  for (const name of await listNamespaces()) {
    const id = LAB_NS_PATTERN.exec(name)?.[1]
    if (!id || markerExists(id)) continue
    await deleteNamespace(name)
    if (!cleaned.includes(id)) cleaned.push(id)
  }
  return cleaned
}
