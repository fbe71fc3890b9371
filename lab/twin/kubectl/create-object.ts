import { AdmissionError, admit } from '../cluster/admission.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular, typeForKind } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flag } from './args.ts'
import { dryRunOf, dryRunSuffix } from './dry-run.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { renderObjects } from './output.ts'

/** An object as built, never sent: Go's zero time prints as `creationTimestamp: null`, in the pod template too. */
function unsent(object: KObject): KObject {
  const copy = structuredClone(object) as any
  copy.metadata = { creationTimestamp: null, ...copy.metadata }
  if (copy.spec?.template) copy.spec.template.metadata = { creationTimestamp: null, ...copy.spec.template.metadata }
  return copy
}

/**
 * Creates an object a generator built (`create deployment`, `run`, `expose`) as kubectl's generators do: through the
 * API server's admission (NotFound namespace, AlreadyExists), stored unless a dry run, then printed: `-o yaml|json`
 * shows the object (a client dry run the object as built, like `--dry-run=client -o yaml`), else `<type>/<name> <verb>`.
 */
export function createGenerated(cluster: Cluster, args: Args, out: Out, object: KObject, verb: string): void {
  const type = typeForKind(cluster.store, object.apiVersion, object.kind)!
  const dryRun = dryRunOf(args, out)
  // A client dry run names the namespace only when -n says it (EnforceNamespace); the server fills in the default.
  const namespace = flag(args, 'namespace')
  if (type.namespaced && (namespace !== undefined || dryRun !== 'client'))
    object.metadata.namespace ??= namespace ?? 'default'
  let shown: KObject = object
  if (dryRun === 'client') shown = unsent(object)
  else {
    const existing = cluster.store.get(type.kind, object.metadata.namespace, object.metadata.name)
    const plural = `${type.plural}${type.group ? `.${type.group}` : ''}`
    if (existing)
      throw new KubectlError(`Error from server (AlreadyExists): ${plural} "${object.metadata.name}" already exists`)
    try {
      shown = admit(cluster.store, type, structuredClone(object), undefined)
    } catch (error) {
      if (error instanceof AdmissionError)
        throw new KubectlError(`Error from server (${error.reason}): ${error.message}`)
      throw error
    }
    // The API server labels every namespace with its name (1.21+); a client dry run never reaches it.
    if (type.kind === 'Namespace')
      shown.metadata.labels = { ...shown.metadata.labels, 'kubernetes.io/metadata.name': shown.metadata.name }
    if (dryRun === 'none') shown = cluster.store.create(shown)
  }
  const output = flag(args, 'output')
  const rendered = output === 'name' ? undefined : renderObjects(output, [{ type, object: shown }], true, false)
  out.stdout(rendered ?? `${qualifiedSingular(type)}/${object.metadata.name} ${verb}${dryRunSuffix(dryRun)}\n`)
}
