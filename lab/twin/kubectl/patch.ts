import { parse } from 'yaml'
import { AdmissionError, admit } from '../cluster/admission.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { builtinTypes, qualifiedSingular } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flag } from './args.ts'
import { dryRunOf, dryRunSuffix } from './dry-run.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { renderObjects } from './output.ts'
import { jsonPatch, mergePatch, PatchError, strategicMerge } from './patch-strategies.ts'
import { type Target, targetObjects } from './target-objects.ts'

// kubectl 1.23 pkg/cmd/patch/patch.go: patchTypes, Validate() and patchOperation() give these words.
const TYPES = ['json', 'merge', 'strategic']

/** What the API server answers a strategic patch of a custom resource (it has no Go struct to read merge keys from). */
const UNSUPPORTED =
  'Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml'

/** The object with `patch` applied, as the API server computes it; status is the controllers', as its endpoint ignores it. */
function patched(target: Target, kind: string, patch: unknown): KObject {
  const { object } = target
  const apply = kind === 'json' ? jsonPatch : kind === 'merge' ? mergePatch : strategicMerge
  const next = apply(object as never, patch as never) as KObject
  if (next === null || typeof next !== 'object' || Array.isArray(next))
    throw new PatchError('the patch did not produce an object')
  next.apiVersion = object.apiVersion
  next.kind = object.kind
  next.metadata = {
    ...next.metadata,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    uid: object.metadata.uid,
  }
  if (next.metadata.namespace === undefined) delete next.metadata.namespace
  if (object.status === undefined) delete next.status
  else next.status = object.status
  return next
}

/** `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: `patched`, or `patched (no change)`. */
export function patchCommand(cluster: Cluster, args: Args, out: Out): number {
  const text = flag(args, 'patch')
  if (!text) throw new KubectlError('error: must specify --patch or --patch-file containing the contents of the patch')
  const kind = (flag(args, 'type') ?? 'strategic').toLowerCase()
  if (!TYPES.includes(kind))
    throw new KubectlError(`error: --type must be one of [${TYPES.join(' ')}], not "${flag(args, 'type')}"`)
  let patch: unknown
  try {
    // kubectl turns YAML into JSON first (yaml.ToJSON), so either is accepted.
    patch = parse(text)
  } catch (error) {
    throw new KubectlError(`error: unable to parse "${text}": ${(error as Error).message.split('\n')[0]}`)
  }
  const dryRun = dryRunOf(args, out)
  const targets = targetObjects(cluster, args)
  if (targets.length === 0) throw new KubectlError('error: no objects passed to patch')
  for (const target of targets) {
    if (kind === 'strategic' && !builtinTypes.includes(target.type)) throw new KubectlError(UNSUPPORTED)
    let next: KObject
    try {
      if (kind !== 'json' && (typeof patch !== 'object' || patch === null))
        throw new PatchError(`json: cannot unmarshal ${typeof patch} into Go value of type map[string]interface {}`)
      next = patched(target, kind, patch)
      next = admit(cluster.store, target.type, next, target.object)
    } catch (error) {
      if (error instanceof PatchError) throw new KubectlError(`Error from server: ${error.message}`)
      if (error instanceof AdmissionError)
        throw new KubectlError(
          error.reason === 'Invalid' ? `The ${error.message}` : `Error from server (${error.reason}): ${error.message}`,
        )
      throw error
    }
    const changed =
      dryRun === 'none' ? cluster.store.update(next) : JSON.stringify(next) !== JSON.stringify(target.object)
    const output = flag(args, 'output')
    const shown = dryRun === 'none' ? cluster.store.get(target.type.kind, target.namespace, target.name)! : next
    // -o name keeps the operation (`service/cni patched`), as kubectl's name printer does.
    const rendered =
      output === 'name' ? undefined : renderObjects(output, [{ type: target.type, object: shown }], true, false)
    out.stdout(
      rendered ??
        `${qualifiedSingular(target.type)}/${target.name} ${changed ? 'patched' : 'patched (no change)'}${dryRunSuffix(dryRun)}\n`,
    )
  }
  return 0
}
