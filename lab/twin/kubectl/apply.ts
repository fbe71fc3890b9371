import type { Cluster } from '../cluster/cluster.ts'
import type { KObject, ObjectStore } from '../cluster/store.ts'
import { qualifiedSingular, resourceTypes, typeForKind, type ResourceType } from '../cluster/resources.ts'
import { admit, AdmissionError } from '../cluster/admission.ts'
import { matches, parseSelector } from '../cluster/selector.ts'
import { flag, flagOn, type Args } from './args.ts'
import { readManifests, type ManifestItem } from './manifest.ts'
import { KubectlError, notFound, type Out } from './kubectl-error.ts'
import { resolveTypes } from './get.ts'

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** The fields `apply` owns: everything but status and server-set metadata. */
const desired = (o: KObject) => {
  const { status: _status, metadata, ...rest } = o
  const annotations = { ...(metadata.annotations ?? {}) }
  delete annotations[LAST_APPLIED]
  return JSON.stringify({ ...rest, labels: metadata.labels ?? {}, annotations })
}

async function loadAll(cluster: Cluster, args: Args, stdin: string | null, cwd: string): Promise<ManifestItem[]> {
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
  if (error instanceof AdmissionError) return `Error from server (${error.reason}): error when ${verb} "${source}": ${error.message}`
  throw error
}

/** `kubectl apply|create -f`: one line per object; unknown kinds and refused objects are reported after the rest is applied. */
export async function applyFiles(cluster: Cluster, args: Args, io: Out & { stdin: string | null; cwd: string }, mode: 'apply' | 'create'): Promise<number> {
  const items = await loadAll(cluster, args, io.stdin, io.cwd)
  const errors: string[] = []
  for (const { object, source } of items) {
    // Each object is checked against the types as they are now: a manifest's CRDs make its later objects known.
    const type = typeForKind(cluster.store, object.apiVersion, object.kind)
    if (!type) {
      errors.push(`error: unable to recognize "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"`)
      continue
    }
    const ns = type.namespaced ? object.metadata.namespace : undefined
    const existing = cluster.store.get(type.kind, ns, object.metadata.name)
    try {
      if (existing && mode === 'create') throw new AdmissionError(`${type.plural}${type.group ? '.' + type.group : ''} "${object.metadata.name}" already exists`, 'AlreadyExists')
      const result = applyOne(cluster.store, type, object, existing)
      io.stdout(`${qualifiedSingular(type)}/${object.metadata.name} ${result}\n`)
    } catch (error) {
      errors.push(serverError(error, existing && mode === 'apply' ? 'applying patch' : 'creating', source))
    }
  }
  for (const error of errors) io.stderr(error + '\n')
  return errors.length ? 1 : 0
}

/** Creates or updates one object the way `kubectl apply` reports it. */
function applyOne(s: ObjectStore, type: ResourceType, object: KObject, existing: KObject | undefined): 'created' | 'configured' | 'unchanged' {
  const applied: KObject = structuredClone(object)
  applied.apiVersion = object.apiVersion
  applied.metadata.annotations = { ...(object.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(object) + '\n' }
  if (!existing) {
    s.create(admit(s, type, applied, undefined))
    return 'created'
  }
  const next: KObject = { ...existing, ...applied, metadata: { ...existing.metadata, labels: applied.metadata.labels, annotations: applied.metadata.annotations }, status: existing.status }
  if (next.status === undefined) delete next.status
  admit(s, type, next, existing)
  if (desired(next) === desired(existing)) return 'unchanged'
  s.update(next)
  return 'configured'
}

/**
 * Deletes one object and what hangs off it: a namespace's objects, a CRD's custom objects. With `later`, the
 * namespace's contents are left for the caller to sweep (`sweepNamespace`): the API server's namespace controller
 * empties a Terminating namespace after kubectl has gone through the rest of a manifest, so every listed object
 * still reads `deleted`.
 */
export function deleteObject(cluster: Cluster, type: ResourceType, namespace: string | undefined, name: string, later?: string[]): boolean {
  const s = cluster.store
  const removed = s.delete(type.kind, namespace, name)
  if (!removed) return false
  if (type.kind === 'Namespace') {
    if (later) later.push(name)
    else sweepNamespace(s, name)
  }
  if (type.kind === 'CustomResourceDefinition') {
    for (const object of s.list(removed.spec.names.kind)) s.delete(object.kind, object.metadata.namespace, object.metadata.name)
  }
  return true
}

function sweepNamespace(s: ObjectStore, name: string): void {
  for (const t of resourceTypes(s).filter(t => t.namespaced)) for (const object of s.list(t.kind, name)) s.delete(t.kind, name, object.metadata.name)
}

const deletedLine = (type: ResourceType, name: string) => `${qualifiedSingular(type)} "${name}" deleted\n`

/** `kubectl delete -f FILE` or `kubectl delete TYPE NAME... | --all | -l`. */
export async function deleteCommand(cluster: Cluster, args: Args, io: Out & { stdin: string | null; cwd: string }): Promise<number> {
  await cluster.settle()
  let exitCode = 0
  if (args.flags.has('filename')) {
    const items = await loadAll(cluster, args, io.stdin, io.cwd)
    const terminating: string[] = []
    for (const { object, source } of items) {
      const type = typeForKind(cluster.store, object.apiVersion, object.kind)
      if (!type) {
        io.stderr(`error: unable to recognize "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\n`)
        exitCode = 1
      } else if (deleteObject(cluster, type, object.metadata.namespace, object.metadata.name, terminating)) io.stdout(deletedLine(type, object.metadata.name))
      else {
        io.stderr(`Error from server (NotFound): error when deleting "${source}": ${notFound(type, object.metadata.name).replace(/^Error from server \(NotFound\): /, '')}\n`)
        exitCode = 1
      }
    }
    for (const namespace of terminating) sweepNamespace(cluster.store, namespace)
    return exitCode
  }
  const [typeWord, ...names] = args.positional
  if (!typeWord) throw new KubectlError('error: You must provide one or more resources by argument or filename.')
  const pairs = typeWord.includes('/') ? args.positional.map(p => p.split('/')) : names.map(n => [typeWord, n])
  const namespace = flag(args, 'namespace') ?? 'default'
  if (pairs.length === 0) {
    const type = resolveTypes(cluster, typeWord)[0]
    const selector = flag(args, 'selector')
    if (!flagOn(args, 'all') && selector === undefined) throw new KubectlError('error: resource(s) were provided, but no name was specified')
    const labelSelector = selector === undefined ? { matchLabels: {} } : parseSelector(selector)
    const victims = cluster.store.list(type.kind, type.namespaced ? namespace : undefined).filter(o => matches(labelSelector, o.metadata.labels ?? {}))
    if (victims.length === 0) io.stderr(type.namespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n')
    for (const o of victims) if (deleteObject(cluster, type, o.metadata.namespace, o.metadata.name)) io.stdout(deletedLine(type, o.metadata.name))
    return 0
  }
  for (const [word, name] of pairs) {
    const type = resolveTypes(cluster, word)[0]
    if (deleteObject(cluster, type, type.namespaced ? namespace : undefined, name)) io.stdout(deletedLine(type, name))
    else {
      io.stderr(notFound(type, name) + '\n')
      exitCode = 1
    }
  }
  return exitCode
}
