import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular, type ResourceType, typeForKind } from '../cluster/resources.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { deleteObject, loadAll, sweepNamespace } from './apply.ts'
import { type Args, FlagError, flag, flagOn } from './args.ts'
import { type DryRun, dryRunOf, dryRunSuffix } from './dry-run.ts'
import { resolveTypes } from './get.ts'
import { KubectlError, NO_RESOURCES, notFound, type Out } from './kubectl-error.ts'
import { checkNames, listObjects, selectionOf } from './list-objects.ts'

/** How a delete runs and reports, after kubectl's checks of its flags. */
interface DeleteOptions {
  dryRun: DryRun
  /** The grace period kubectl sends: -1 the object's own, 0 immediate (reported as `force deleted`). */
  gracePeriod: number
  byName: boolean
}

/**
 * The flag rules of `kubectl delete` (1.23 delete.go Complete and Validate): --now is a grace period of 1, a bare
 * --grace-period=0 becomes 1 unless --force, --force alone is 0 with a warning, --force with a longer one is refused.
 * The twin removes objects at once whatever the grace period, which is where a real pod ends up too.
 */
function deleteOptions(args: Args, out: Out): DeleteOptions {
  const output = flag(args, 'output')
  if (output !== undefined && output !== 'name')
    throw new KubectlError(
      `error: Unexpected -o output mode: ${output}. We only support '-o name'.\nSee 'kubectl delete -h' for help and examples`,
    )
  const graceText = flag(args, 'grace-period') ?? '-1'
  if (!/^-?\d+$/.test(graceText))
    throw new FlagError(
      `invalid argument "${graceText}" for "--grace-period" flag: strconv.ParseInt: parsing "${graceText}": invalid syntax`,
    )
  let gracePeriod = Number(graceText)
  const force = flagOn(args, 'force')
  if (flagOn(args, 'now')) {
    if (gracePeriod !== -1) throw new KubectlError('error: --now and --grace-period cannot be specified together')
    gracePeriod = 1
  }
  if (gracePeriod === 0 && !force) gracePeriod = 1
  if (force && gracePeriod < 0) gracePeriod = 0
  const cascade = flag(args, 'cascade') ?? 'background'
  if (cascade === 'orphan' || cascade === 'false') {
    throw new NotEmulatedError(
      'kubectl',
      `delete --cascade=${cascade}`,
      'The twin deletes what an object owns with it: delete the owner, then apply again what should stay.',
    )
  }
  if (!['background', 'foreground', 'true'].includes(cascade))
    throw new KubectlError(
      `error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`,
    )
  const selection = selectionOf(args)
  if (flagOn(args, 'all') && selection.labels !== undefined)
    throw new KubectlError('error: cannot set --all and --selector at the same time')
  if (flagOn(args, 'all') && selection.fields !== undefined)
    throw new KubectlError('error: cannot set --all and --field-selector at the same time')
  if (gracePeriod > 0 && force)
    throw new KubectlError('error: --force and --grace-period greater than 0 cannot be specified together')
  if (gracePeriod === 0 && force)
    out.stderr(
      'warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    )
  return { dryRun: dryRunOf(args, out), gracePeriod, byName: output === 'name' }
}

/** `pod "x" deleted`, `pod "x" force deleted (dry run)`, or `pod/x` with -o name, as DeleteOptions.PrintObj. */
function deletedLine(type: ResourceType, name: string, options: DeleteOptions): string {
  if (options.byName) return `${qualifiedSingular(type)}/${name}\n`
  return `${qualifiedSingular(type)} "${name}" ${options.gracePeriod === 0 ? 'force deleted' : 'deleted'}${dryRunSuffix(options.dryRun)}\n`
}

/** Deletes one object unless this is a dry run; whether it was there. */
function remove(
  cluster: Cluster,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
  later: string[],
): boolean {
  if (options.dryRun !== 'none')
    return cluster.store.get(type.kind, type.namespaced ? namespace : undefined, name) !== undefined
  return deleteObject(cluster, type, namespace, name, later)
}

/** `kubectl delete -f FILE` or `kubectl delete TYPE[,TYPE] NAME... | --all | -l SELECTOR | --field-selector F` */
export async function deleteCommand(
  cluster: Cluster,
  args: Args,
  io: Out & { stdin: string | null; cwd: string },
): Promise<number> {
  await cluster.settle()
  const options = deleteOptions(args, io)
  const ignoreNotFound = flagOn(args, 'ignore-not-found')
  const selection = selectionOf(args)
  // A namespace's contents go once kubectl has been through the whole list, so every listed object reads `deleted`.
  const terminating: string[] = []
  let exitCode = 0
  let found = 0
  const report = (type: ResourceType, namespace: string | undefined, name: string, notFoundLine: string) => {
    if (remove(cluster, type, namespace, name, options, terminating)) {
      io.stdout(deletedLine(type, name, options))
      found++
    } else if (!ignoreNotFound) {
      io.stderr(`${notFoundLine}\n`)
      exitCode = 1
    }
  }
  if (args.flags.has('filename')) {
    for (const { object, source } of await loadAll(cluster, args, io.stdin, io.cwd)) {
      const type = typeForKind(cluster.store, object.apiVersion, object.kind)
      if (!type) {
        io.stderr(
          `error: unable to recognize "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\n`,
        )
        exitCode = 1
      } else
        report(
          type,
          object.metadata.namespace,
          object.metadata.name,
          `Error from server (NotFound): error when deleting "${source}": ${notFound(type, object.metadata.name).replace(/^Error from server \(NotFound\): /, '')}`,
        )
    }
  } else {
    const [typeWord, ...names] = args.positional
    if (!typeWord) throw new KubectlError(`error: ${NO_RESOURCES}`)
    const pairs = typeWord.includes('/') ? args.positional.map((p) => p.split('/')) : names.map((n) => [typeWord, n])
    if (pairs.length === 0) {
      if (!flagOn(args, 'all') && selection.labels === undefined && selection.fields === undefined)
        throw new KubectlError('error: resource(s) were provided, but no name was specified')
      // Listed first, deleted after, as the API server answers the list before kubectl deletes what it returned.
      const victims = resolveTypes(cluster, typeWord).flatMap((type) =>
        listObjects(cluster, type, selection).map((object) => ({ type, object })),
      )
      for (const { type, object } of victims)
        report(type, object.metadata.namespace, object.metadata.name, notFound(type, object.metadata.name))
    } else {
      checkNames(
        selection,
        pairs.map(([, name]) => name),
      )
      for (const [word, name] of pairs) {
        for (const type of resolveTypes(cluster, word))
          report(type, type.namespaced ? selection.namespace : undefined, name, notFound(type, name))
      }
    }
  }
  for (const namespace of terminating) sweepNamespace(cluster.store, namespace)
  // delete.go: nothing matched and nothing failed prints this on stdout, whatever the namespace.
  if (found === 0 && exitCode === 0) io.stdout('No resources found\n')
  return exitCode
}
