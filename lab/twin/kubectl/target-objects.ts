import type { Cluster } from '../cluster/cluster.ts'
import type { ResourceType } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flag } from './args.ts'
import { requests } from './get.ts'
import { KubectlError, notFound } from './kubectl-error.ts'

/** One object a verb acts on, with where it lives. */
export interface Target {
  type: ResourceType
  namespace: string | undefined
  name: string
  object: KObject
}

/**
 * The objects `TYPE NAME...` or `TYPE/NAME...` name (the first `count` words when the rest are the verb's own, as
 * annotate's `key=value`), in the namespace of `-n`; a missing one is the API server's NotFound. With
 * `allWhenUnnamed`, a type without names is every object of that type there.
 */
export function targetObjects(cluster: Cluster, args: Args, words = args.positional, allWhenUnnamed = false): Target[] {
  const namespace = flag(args, 'namespace') ?? 'default'
  const targets: Target[] = []
  for (const { type, names: named } of requests(cluster, words)) {
    // `kubectl rollout restart deployment`: a type alone selects every object of it in the namespace.
    const names =
      named.length || !allWhenUnnamed
        ? named
        : cluster.store.list(type.kind, type.namespaced ? namespace : undefined).map((o) => o.metadata.name)
    for (const name of names) {
      const ns = type.namespaced ? namespace : undefined
      const object = cluster.store.get(type.kind, ns, name)
      if (!object) throw new KubectlError(notFound(type, name))
      targets.push({ type, namespace: ns, name, object })
    }
  }
  return targets
}

/**
 * Splits `TYPE NAME key=v key-` or `TYPE/NAME key=v` into the resource words and the pairs, as kubectl's
 * cmdutil.GetResourcesAndPairs does: pairs may only follow the resources.
 */
export function resourcesAndPairs(words: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const isPair = (w: string) => w.includes('=') || w.endsWith('-')
  const first = words.findIndex(isPair)
  const resources = first < 0 ? words : words.slice(0, first)
  const pairs = first < 0 ? [] : words.slice(first)
  const stray = pairs.find((p) => !isPair(p))
  if (stray !== undefined)
    throw new KubectlError(`error: all resources must be specified before ${pairType} changes: ${stray}`)
  return { resources, pairs }
}
