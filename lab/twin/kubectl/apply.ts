import { AdmissionError, admit } from '../cluster/admission.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular, type ResourceType, resourceTypes, typeForKind } from '../cluster/resources.ts'
import type { KObject, ObjectStore } from '../cluster/store.ts'
import { type Args, flag } from './args.ts'
import { type DryRun, dryRunOf, dryRunSuffix } from './dry-run.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { type ManifestItem, readManifests } from './manifest.ts'

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** The fields `apply` owns: everything but status and server-set metadata. */
const desired = (o: KObject) => {
  const { status: _status, metadata, ...rest } = o
  const annotations = { ...(metadata.annotations ?? {}) }
  delete annotations[LAST_APPLIED]
  return JSON.stringify({ ...rest, labels: metadata.labels ?? {}, annotations })
}

/** The objects of every `-f` (files, URLs the lab knows, `-` for stdin), with their namespaces filled in. */
export async function loadAll(
  cluster: Cluster,
  args: Args,
  stdin: string | null,
  cwd: string,
): Promise<ManifestItem[]> {
  const files = args.flags.get('filename') ?? []
  if (files.length === 0) throw new KubectlError('error: must specify one of -f and -k')
  const items: ManifestItem[] = []
  for (const file of files) items.push(...(await readManifests(file, cwd, stdin)))
  // Catch up first only when a kind is not known yet: the types operators register (Cilium's CRDs after helm install)
  // exist once the controllers have caught up. Anything else goes in at once, as the API server takes an object while
  // controllers still work on the last one (bench/lab: the seed's cni.yaml apply took 1.4 s, waiting for Cilium's
  // agents to start; now 60 ms).
  if (items.some(({ object }) => !typeForKind(cluster.store, object.apiVersion, object.kind))) await cluster.settle()
  const namespace = flag(args, 'namespace')
  for (const item of items) {
    const type = typeForKind(cluster.store, item.object.apiVersion, item.object.kind)
    if (type?.namespaced) item.object.metadata.namespace ??= namespace ?? 'default'
    else if (type) delete item.object.metadata.namespace
  }
  return items
}

const serverError = (error: unknown, verb: string, source: string) => {
  if (error instanceof AdmissionError)
    return `Error from server (${error.reason}): error when ${verb} "${source}": ${error.message}`
  throw error
}

/** `kubectl apply|create -f`: one line per object; unknown kinds and refused objects are reported after the rest is applied. */
export async function applyFiles(
  cluster: Cluster,
  args: Args,
  io: Out & { stdin: string | null; cwd: string },
  mode: 'apply' | 'create',
): Promise<number> {
  const dryRun = dryRunOf(args, io)
  const items = await loadAll(cluster, args, io.stdin, io.cwd)
  const errors: string[] = []
  for (const { object, source } of items) {
    // Each object is checked against the types as they are now: a manifest's CRDs make its later objects known.
    const type = typeForKind(cluster.store, object.apiVersion, object.kind)
    if (!type) {
      errors.push(
        `error: unable to recognize "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
      )
      continue
    }
    const ns = type.namespaced ? object.metadata.namespace : undefined
    const existing = cluster.store.get(type.kind, ns, object.metadata.name)
    try {
      // A client dry run never asks the API server, so it cannot know the object exists.
      if (existing && mode === 'create' && dryRun !== 'client')
        throw new AdmissionError(
          `${type.plural}${type.group ? `.${type.group}` : ''} "${object.metadata.name}" already exists`,
          'AlreadyExists',
        )
      const result = applyOne(cluster.store, type, object, mode === 'create' ? undefined : existing, dryRun)
      io.stdout(`${qualifiedSingular(type)}/${object.metadata.name} ${result}${dryRunSuffix(dryRun)}\n`)
    } catch (error) {
      errors.push(serverError(error, existing && mode === 'apply' ? 'applying patch' : 'creating', source))
    }
  }
  for (const error of errors) io.stderr(`${error}\n`)
  return errors.length ? 1 : 0
}

/**
 * Admission as the dry run sees it: a server dry run is checked like a real write; a client one never reaches the
 * API server, so its refusals do not apply (the object is taken as written).
 */
function admitAs(
  dryRun: DryRun,
  s: ObjectStore,
  type: ResourceType,
  object: KObject,
  existing: KObject | undefined,
): KObject {
  try {
    return admit(s, type, object, existing)
  } catch (error) {
    if (dryRun === 'client' && error instanceof AdmissionError) return object
    throw error
  }
}

/**
 * The object `kubectl apply` of `object` leaves on the server: the manifest with its last-applied annotation, over
 * the live object's server-set metadata and status when there is one (`kubectl diff` shows the same).
 */
export function appliedObject(object: KObject, existing: KObject | undefined): KObject {
  const applied: KObject = structuredClone(object)
  applied.metadata.annotations = {
    ...(object.metadata.annotations ?? {}),
    [LAST_APPLIED]: `${JSON.stringify(object)}\n`,
  }
  if (!existing) return applied
  const next: KObject = {
    ...existing,
    ...applied,
    metadata: { ...existing.metadata, labels: applied.metadata.labels, annotations: applied.metadata.annotations },
    status: existing.status,
  }
  if (next.status === undefined) delete next.status
  return next
}

/** Creates or updates one object the way `kubectl apply` reports it; a dry run stores nothing. */
function applyOne(
  s: ObjectStore,
  type: ResourceType,
  object: KObject,
  existing: KObject | undefined,
  dryRun: DryRun,
): 'created' | 'configured' | 'unchanged' {
  if (!existing) {
    const admitted = admitAs(dryRun, s, type, appliedObject(object, undefined), undefined)
    if (dryRun === 'none') s.create(admitted)
    return 'created'
  }
  const next = appliedObject(object, existing)
  admitAs(dryRun, s, type, next, existing)
  if (desired(next) === desired(existing)) return 'unchanged'
  if (dryRun === 'none') s.update(next)
  return 'configured'
}

/**
 * Deletes one object and what hangs off it: a namespace's objects, a CRD's custom objects. With `later`, the
 * namespace's contents are left for the caller to sweep (`sweepNamespace`): the API server's namespace controller
 * empties a Terminating namespace after kubectl has gone through the rest of a manifest, so every listed object
 * still reads `deleted`.
 */
export function deleteObject(
  cluster: Cluster,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  later?: string[],
): boolean {
  const s = cluster.store
  const removed = s.delete(type.kind, namespace, name)
  if (!removed) return false
  if (type.kind === 'Namespace') {
    if (later) later.push(name)
    else sweepNamespace(s, name)
  }
  if (type.kind === 'CustomResourceDefinition') {
    for (const object of s.list(removed.spec.names.kind))
      s.delete(object.kind, object.metadata.namespace, object.metadata.name)
  }
  return true
}

/** Empties a deleted namespace, as the namespace controller does once it is Terminating. */
export function sweepNamespace(s: ObjectStore, name: string): void {
  for (const t of resourceTypes(s).filter((t) => t.namespaced))
    for (const object of s.list(t.kind, name)) s.delete(t.kind, name, object.metadata.name)
}
