import { randomInt, randomUUID } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AdmissionError, admit } from '../cluster/admission.ts'
import { withApiDefaults } from '../cluster/api-defaults.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { type ResourceType, splitApiVersion, typeForKind } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { appliedObject, loadAll } from './apply.ts'
import type { Args } from './args.ts'
import { KubectlError } from './kubectl-error.ts'
import { ManifestError } from './manifest.ts'
import { renderObjects } from './output.ts'

/**
 * A folder as Go's os.MkdirTemp("", prefix) names it: the prefix and a random uint32 in decimal
 * (`/tmp/LIVE-2571043445`), where kubectl diff writes one version of every object.
 */
async function tempDir(prefix: string): Promise<string> {
  const dir = join(tmpdir(), `${prefix}${randomInt(2 ** 32)}`)
  await mkdir(dir, { mode: 0o700 })
  return dir
}

/**
 * The file name of an object in both folders (kubectl 1.23 pkg/cmd/diff/diff.go InfoObject.Name):
 * `[group.]version.Kind.namespace.name` of the manifest's own group version (its REST mapping), the namespace empty
 * for a cluster-scoped object (`v1.Namespace..web`).
 */
function fileName(object: KObject): string {
  const [group, version] = splitApiVersion(object.apiVersion)
  return `${group ? `${group}.` : ''}${version}.${object.kind}.${object.metadata.namespace ?? ''}.${object.metadata.name}`
}

const yaml = (type: ResourceType, object: KObject) => renderObjects('yaml', [{ type, object }], true, false) ?? ''

/**
 * What the server-side dry run of the apply returns: the applied object as admission leaves it, with the fields the
 * API server sets. A new object gets a uid and creationTimestamp but no resourceVersion (the dry-run storage never
 * writes); a changed spec bumps metadata.generation.
 */
function merged(cluster: Cluster, type: ResourceType, object: KObject, live: KObject | undefined): KObject {
  const next = withApiDefaults(admit(cluster.store, type, appliedObject(object, live), live))
  if (!live) {
    next.metadata.uid = randomUUID()
    next.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    return next
  }
  const before = withApiDefaults(live)
  if (before.metadata.generation !== undefined && JSON.stringify(next.spec) !== JSON.stringify(before.spec))
    next.metadata.generation = Number(before.metadata.generation) + 1
  return next
}

/** Runs GNU diff as kubectl does (`diff -u -N LIVE MERGED`) on the lab host; its output passes through as it is. */
async function runDiff(cluster: Cluster, live: string, merged: string, io: ToolIO): Promise<number> {
  const result = await cluster.lab.run(['diff', '-u', '-N', live, merged], { exact: true })
  io.stdout(result.stdout)
  io.stderr(result.stderr)
  return result.exitCode
}

/**
 * `kubectl diff -f FILE|-` (1.23): every object's live and would-be applied YAML, written to two folders and compared
 * with `diff -u -N`. Exit 0 with no differences, 1 with some (diff's own status), 2 when kubectl itself failed
 * (cmdutil.CheckDiffErr adds one to the usual exit code).
 */
export async function diff(cluster: Cluster, args: Args, io: ToolIO): Promise<number> {
  if (io.env.KUBECTL_EXTERNAL_DIFF)
    throw new NotEmulatedError(
      'kubectl',
      'diff with KUBECTL_EXTERNAL_DIFF',
      'Unset KUBECTL_EXTERNAL_DIFF: the twin runs diff -u -N, as kubectl does by default.',
    )
  let items: Awaited<ReturnType<typeof loadAll>>
  try {
    items = await loadAll(cluster, args, io.stdin, io.cwd)
  } catch (error) {
    if (!(error instanceof KubectlError || error instanceof ManifestError)) throw error
    io.stderr(`${error.message}\n`)
    return 2
  }
  const liveDir = await tempDir('LIVE-')
  const mergedDir = await tempDir('MERGED-')
  try {
    for (const { object, source } of items) {
      const type = typeForKind(cluster.store, object.apiVersion, object.kind)
      if (!type) {
        io.stderr(
          `error: unable to recognize "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\n`,
        )
        return 2
      }
      const live = cluster.store.get(
        type.kind,
        type.namespaced ? object.metadata.namespace : undefined,
        object.metadata.name,
      )
      let next: KObject
      try {
        next = merged(cluster, type, object, live)
      } catch (error) {
        if (!(error instanceof AdmissionError)) throw error
        io.stderr(`Error from server (${error.reason}): ${error.message}\n`)
        return 2
      }
      const name = fileName(object)
      // A live object that does not exist yet is an empty file, as kubectl's printer writes nothing for it.
      // The live object as the server returns it at the manifest's version (a CRD's versions convert as None does).
      await writeFile(
        join(liveDir, name),
        live ? yaml(type, withApiDefaults({ ...live, apiVersion: object.apiVersion })) : '',
      )
      await writeFile(join(mergedDir, name), yaml(type, next))
    }
    return await runDiff(cluster, liveDir, mergedDir, io)
  } finally {
    await rm(liveDir, { recursive: true, force: true })
    await rm(mergedDir, { recursive: true, force: true })
  }
}
