import { withApiDefaults } from '../cluster/api-defaults.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { matchType, qualifiedSingular, type ResourceType, resourceTypes } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { discoveredTypes } from './api-discovery.ts'
import { type Args, flag, flagOn } from './args.ts'
import { evaluate, formatValue } from './jsonpath.ts'
import { KubectlError, notFound } from './kubectl-error.ts'
import { checkNames, listObjects, noResources, selectionOf } from './list-objects.ts'
import { readTemplateFile, renderObjects } from './output.ts'
import { type Table, toTable } from './printers.ts'
import { tabwrite } from './tabwriter.ts'
import { type WatchOut, watch } from './watch.ts'

/**
 * Resolves `pods,svc` or `svc/cni` to types, with kubectl's error for an unknown one. Every type discovery lists
 * resolves, those the lab never holds (statefulsets, jobs) too: their lists are empty, as in a fresh kind cluster.
 */
export function resolveTypes(cluster: Cluster, words: string): ResourceType[] {
  if (words === 'all')
    return ['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet'].map(
      (kind) => resourceTypes(cluster.store).find((t) => t.kind === kind)!,
    )
  return words.split(',').map((word) => {
    const type = matchType(discoveredTypes(cluster.store), word)
    if (!type) throw new KubectlError(`error: the server doesn't have a resource type "${word}"`)
    return type
  })
}

/**
 * What kubectl 1.23 answers when no type is given (checked against the real binary,
 * real-kubectl.contract.test.ts): get's usage error, describe's one line.
 */
const NO_TYPE: Record<string, string> = {
  get: 'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
  describe:
    'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.',
}

/** Splits `get pods a b`, `get pod/a svc/b` into (type, names) requests. */
export function requests(
  cluster: Cluster,
  positional: string[],
  verb: keyof typeof NO_TYPE = 'get',
): { type: ResourceType; names: string[] }[] {
  if (positional.length === 0) throw new KubectlError(NO_TYPE[verb])
  if (positional.some((p) => p.includes('/'))) {
    return positional.map((p) => {
      const [word, name] = p.split('/')
      if (!name) throw new KubectlError(`error: arguments in resource/name form must have a single resource and name`)
      return { type: resolveTypes(cluster, word)[0], names: [name] }
    })
  }
  return resolveTypes(cluster, positional[0]).map((type) => ({ type, names: positional.slice(1) }))
}

/** `kubectl get`: tables like kubectl 1.23, or -o json|yaml|name|wide|jsonpath|go-template|custom-columns; -w streams changes. */
export async function get(cluster: Cluster, args: Args, out: WatchOut & { cwd: string }): Promise<number> {
  if (flagOn(args, 'watch') || flagOn(args, 'watch-only')) return watch(cluster, args, out)
  await cluster.settle()
  const selection = selectionOf(args)
  const { namespace } = selection
  const output = readTemplateFile(flag(args, 'output'), out.cwd)
  const noHeaders = flagOn(args, 'no-headers')
  const reqs = requests(cluster, args.positional)
  const prefixNames = reqs.length > 1 || args.positional[0] === 'all' || flagOn(args, 'show-kind')
  let exitCode = 0
  const found: { type: ResourceType; object: KObject }[] = []
  for (const { type, names } of reqs) {
    checkNames(selection, names)
    if (names.length) {
      for (const name of names) {
        const object = cluster.store.get(type.kind, type.namespaced ? namespace : undefined, name)
        if (object) found.push({ type, object })
        else if (!flagOn(args, 'ignore-not-found')) {
          out.stderr(`${notFound(type, name)}\n`)
          exitCode = 1
        }
      }
    } else {
      for (const object of listObjects(cluster, type, selection)) found.push({ type, object })
    }
  }
  const sortBy = flag(args, 'sort-by')
  if (sortBy) {
    const key = (o: KObject) => formatValue(evaluate(o, sortBy.replace(/^\{(.*)\}$/, '$1'))[0] ?? '')
    found.sort((a, b) => key(a.object).localeCompare(key(b.object), undefined, { numeric: true }))
  }
  const single = reqs.length === 1 && reqs[0].names.length === 1
  // Whole objects read as the API server returns them, its defaults included (kubectl 1.21+ hides managedFields).
  const rendered = renderObjects(
    output,
    found.map((f) => ({ type: f.type, object: withApiDefaults(f.object) })),
    single,
    noHeaders,
  )
  if (rendered !== undefined) {
    out.stdout(rendered)
    return exitCode
  }
  if (found.length === 0) {
    // --ignore-not-found also silences the empty-list line (kubectl 1.23 get.go).
    if (exitCode === 0 && !flagOn(args, 'ignore-not-found'))
      out.stderr(
        noResources(
          selection,
          reqs.map((r) => r.type),
        ),
      )
    return exitCode
  }
  const blocks: string[] = []
  for (const { type } of reqs) {
    const objects = found.filter((f) => f.type === type).map((f) => f.object)
    if (objects.length === 0) continue
    const table = getTable(type, objects, args, prefixNames)
    blocks.push(tabwrite(noHeaders ? table.rows : [table.headers, ...table.rows]))
  }
  out.stdout(blocks.join('\n'))
  return exitCode
}

/**
 * The table of one type's objects as `kubectl get` prints it: -o wide, NAMESPACE with -A, `kind/name` names, a column
 * per -L label, then --show-labels (kubectl 1.23 printers/tablegenerator.go decorateTable: a -L column is named after
 * the key's last `/` segment in capitals, empty where the label is not set; LABELS is always last, the labels sorted by
 * key as labels.Set's String writes them).
 */
export function getTable(type: ResourceType, objects: KObject[], args: Args, prefixNames: boolean): Table {
  const table = toTable(type, objects, {
    wide: flag(args, 'output') === 'wide',
    withNamespace: flagOn(args, 'all-namespaces') && type.namespaced,
  })
  const nameColumn = table.headers.indexOf('NAME')
  if (prefixNames && nameColumn >= 0)
    for (const row of table.rows) row[nameColumn] = `${qualifiedSingular(type)}/${row[nameColumn]}`
  const columns = (args.flags.get('label-columns') ?? []).flatMap((value) => value.split(',')).filter(Boolean)
  for (const key of columns) {
    table.headers.push(key.split('/').at(-1)!.toUpperCase())
    objects.forEach((o, i) => table.rows[i].push(o.metadata.labels?.[key] ?? ''))
  }
  if (flagOn(args, 'show-labels')) {
    table.headers.push('LABELS')
    objects.forEach((o, i) =>
      table.rows[i].push(
        Object.entries(o.metadata.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .sort()
          .join(',') || '<none>',
      ),
    )
  }
  return table
}
