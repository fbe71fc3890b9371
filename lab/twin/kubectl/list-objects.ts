import type { Cluster } from '../cluster/cluster.ts'
import type { ResourceType } from '../cluster/resources.ts'
import { matches, parseSelector } from '../cluster/selector.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flag, flagOn } from './args.ts'
import { FieldSelectorError, fieldSelector } from './field-selector.ts'
import { KubectlError } from './kubectl-error.ts'

/** Which objects a list call asks for: `-n` (default `default`) or `-A`, `-l`, `--field-selector`. */
export interface Selection {
  namespace: string
  allNamespaces: boolean
  labels: string | undefined
  fields: string | undefined
}

export const selectionOf = (args: Args): Selection => ({
  namespace: flag(args, 'namespace') ?? 'default',
  allNamespaces: flagOn(args, 'all-namespaces'),
  labels: flag(args, 'selector'),
  fields: flag(args, 'field-selector'),
})

/** Names with a selector or with -A: kubectl's resource builder refuses both rather than pick one meaning. */
export function checkNames(selection: Selection, names: string[]): void {
  if (names.length === 0) return
  if (selection.labels !== undefined || selection.fields !== undefined)
    throw new KubectlError('error: name cannot be provided when a selector is specified')
  if (selection.allNamespaces)
    throw new KubectlError('error: a resource cannot be retrieved by name across all namespaces')
}

/**
 * The objects of `type` a list request with this selection returns, as the API server filters them. A field it
 * does not support is refused with its message, wrapped as kubectl's resource builder wraps it.
 */
export function listObjects(cluster: Cluster, type: ResourceType, selection: Selection): KObject[] {
  const namespace = type.namespaced && !selection.allNamespaces ? selection.namespace : undefined
  return cluster.store.list(type.kind, namespace).filter(selectionMatcher(type, selection))
}

/** Whether an object of `type` is one a list (or a watch) with this selection returns; see listObjects. */
export function selectionMatcher(type: ResourceType, selection: Selection): (o: KObject) => boolean {
  const labels = selection.labels === undefined ? undefined : parseSelector(selection.labels)
  let fieldsMatch: (o: KObject) => boolean = () => true
  try {
    if (selection.fields !== undefined) fieldsMatch = fieldSelector(selection.fields, type.kind)
  } catch (error) {
    if (!(error instanceof FieldSelectorError)) throw error
    const gvr = `${type.group}/${type.version}, Resource=${type.plural}`
    throw new KubectlError(
      `Error from server (BadRequest): Unable to find "${gvr}" that match label selector "${selection.labels ?? ''}", field selector "${selection.fields}": ${error.message}`,
    )
  }
  const inNamespace = (o: KObject) =>
    !type.namespaced || selection.allNamespaces || o.metadata.namespace === selection.namespace
  return (o) =>
    o.kind === type.kind && inNamespace(o) && (!labels || matches(labels, o.metadata.labels ?? {})) && fieldsMatch(o)
}

/** kubectl's line for an empty list: `No resources found in default namespace.` or, across namespaces, without. */
export const noResources = (selection: Selection, types: ResourceType[]) =>
  selection.allNamespaces || !types.every((t) => t.namespaced)
    ? 'No resources found\n'
    : `No resources found in ${selection.namespace} namespace.\n`
