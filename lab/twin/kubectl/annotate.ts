import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular } from '../cluster/resources.ts'
import { type Args, flagOn } from './args.ts'
import { dryRunOf, dryRunSuffix } from './dry-run.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { resourcesAndPairs, targetObjects } from './target-objects.ts'

/** The annotation kubectl lets any command overwrite (polymorphichelpers.ChangeCauseAnnotation). */
const CHANGE_CAUSE = 'kubernetes.io/change-cause'

/** `key=value` and `key-` pairs, with cmdutil.ParsePairs' error for anything else. */
function parsePairs(pairs: string[]): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>()
  const remove: string[] = []
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq > 0) set.set(pair.slice(0, eq), pair.slice(eq + 1))
    else if (eq < 0 && pair.length > 1 && pair.endsWith('-')) remove.push(pair.slice(0, -1))
    else throw new KubectlError(`error: invalid annotation format: ${pair}`)
  }
  return { set, remove }
}

/**
 * `kubectl annotate TYPE NAME key=value... key-... [--overwrite]`, with kubectl 1.23's rules and words
 * (pkg/cmd/annotate/annotate.go: validateAnnotations, validateNoAnnotationOverwrites): a key that exists is refused
 * without --overwrite even when the value is the same; removing an absent key is no error; `--list` prints them.
 */
export function annotate(cluster: Cluster, args: Args, out: Out): number {
  const { resources, pairs } = resourcesAndPairs(args.positional, 'annotation')
  if (resources.length === 0)
    throw new KubectlError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>')
  const list = flagOn(args, 'list')
  const { set, remove } = parsePairs(pairs)
  if (set.size === 0 && remove.length === 0 && !list)
    throw new KubectlError('error: at least one annotation update is required')
  const both = remove.filter((key) => set.has(key))
  if (both.length)
    throw new KubectlError(
      `error: can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`,
    )
  const dryRun = list ? 'client' : dryRunOf(args, out)
  const targets = targetObjects(cluster, args, resources)
  for (const target of targets) {
    const current = target.object.metadata.annotations ?? {}
    if (!flagOn(args, 'overwrite')) {
      const taken = [...set.keys()].filter((key) => key !== CHANGE_CAUSE && current[key] !== undefined)
      if (taken.length)
        throw new KubectlError(
          `error: --overwrite is false but found the following declared annotation(s): ${taken.map((key) => `'${key}' already has a value (${current[key]})`).join('; ')}`,
        )
    }
    const annotations = { ...current, ...Object.fromEntries(set) }
    for (const key of remove) delete annotations[key]
    if (list) {
      // kubectl ranges over a Go map: its order is random, so the twin keeps the object's.
      const indent = targets.length > 1 ? ' ' : ''
      if (indent) out.stdout(`Listing annotations for ${target.type.kind}.${target.type.group}/${target.name}:\n`)
      for (const [key, value] of Object.entries(annotations)) out.stdout(`${indent}${key}=${value}\n`)
      continue
    }
    if (dryRun === 'none')
      cluster.store.patch(
        target.type.kind,
        target.namespace,
        target.name,
        (o) =>
          void (Object.keys(annotations).length
            ? (o.metadata.annotations = annotations)
            : delete o.metadata.annotations),
      )
    out.stdout(`${qualifiedSingular(target.type)}/${target.name} annotated${dryRunSuffix(dryRun)}\n`)
  }
  return 0
}
