/**
 * `kubectl wait` (k8s.io/kubectl/pkg/cmd/wait/wait.go, 1.23): for each object the arguments name, in turn, waits
 * until its status has the condition (`--for=condition=Ready`, `=false` for another status), a JSONPath value
 * (`--for=jsonpath='{.status.phase}'=Running`) or it is gone (`--for=delete`), then prints `<kind>/<name> condition
 * met`; the first object not there within `--timeout` (30s, per object) ends it with the wait package's error.
 */
import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular, type ResourceType } from '../cluster/resources.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flag, flagOn } from './args.ts'
import { durationFlag } from './duration-flag.ts'
import { requests } from './get.ts'
import { evaluate } from './jsonpath.ts'
import { KubectlError, notFound } from './kubectl-error.ts'
import { listObjects, selectionOf } from './list-objects.ts'
import { followStore, INTERRUPTED, type WatchOut } from './watch.ts'

/** Whether an object meets the condition; a string is the error that ends the wait at once. */
type Check = (o: KObject | undefined) => boolean | string

const WEEK_MS = 7 * 24 * 3600 * 1000

/**
 * conditionFuncFor: `delete`, `condition=NAME[=STATUS]` (status true by default, both compared without case, and
 * not before the status observed the object's generation), or `jsonpath=EXPR=VALUE`.
 */
function checkFor(condition: string): Check {
  if (condition.toLowerCase() === 'delete') return (o) => o === undefined
  if (condition.startsWith('condition=')) {
    const [name, ...value] = condition.slice('condition='.length).split('=')
    const status = value.length ? value.join('=') : 'true'
    return (o) => {
      const found = (o?.status?.conditions ?? []).find(
        (c: { type?: string }) => (c.type ?? '').toLowerCase() === name.toLowerCase(),
      )
      if (!found) return false
      if (found.observedGeneration !== undefined && found.observedGeneration < (o?.metadata.generation ?? 0))
        return false
      return String(found.status ?? '').toLowerCase() === status.toLowerCase()
    }
  }
  if (condition.startsWith('jsonpath=')) {
    const parts = condition.split('=')
    if (parts.length !== 3)
      throw new KubectlError("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3")
    const [, expression, wanted] = parts
    if (wanted === '') throw new KubectlError('error: jsonpath wait condition cannot be empty')
    // cmdget.RelaxedJSONPathExpression: `.status` and `{.status}` alike.
    const path = expression.replace(/^\{(.*)\}$/, '$1').replace(/^\.?/, '.')
    return (o) => {
      if (!o) return false
      const values = evaluate(o, path)
      if (values.length === 0) return 'given jsonpath expression does not match any value'
      if (values.length > 1) return 'given jsonpath expression matches more than one value'
      if (typeof values[0] === 'object' && values[0] !== null)
        return 'jsonpath leads to a nested object or list which is not supported'
      return String(values[0]).trim() === wanted.replace(/^['"]+|['"]+$/g, '').trim()
    }
  }
  throw new KubectlError(`error: unrecognized condition: ${JSON.stringify(condition)}`)
}

/** The objects to wait on, in the order the resource builder visits them. */
function targets(
  cluster: Cluster,
  args: Args,
  forDelete: boolean,
): { type: ResourceType; name: string; namespace: string | undefined }[] {
  if (args.positional.length === 0)
    throw new KubectlError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    )
  const selection = selectionOf(args)
  const byList = flagOn(args, 'all') || selection.labels !== undefined || selection.fields !== undefined
  return requests(cluster, args.positional).flatMap(({ type, names }) => {
    if (names.length === 0) {
      if (!byList) throw new KubectlError('error: resource(s) were provided, but no name was specified')
      return listObjects(cluster, type, selection).map((o) => ({
        type,
        name: o.metadata.name,
        namespace: o.metadata.namespace,
      }))
    }
    const namespace = type.namespaced ? selection.namespace : undefined
    return names.flatMap((name) => {
      if (cluster.store.get(type.kind, namespace, name)) return [{ type, name, namespace }]
      // A missing object is what --for=delete waits for (the builder's NotFound is ignored then).
      if (forDelete) return []
      throw new KubectlError(notFound(type, name))
    })
  })
}

export async function wait(cluster: Cluster, args: Args, out: WatchOut): Promise<number> {
  // The flags are read first, as cobra does, then the condition, then the resources.
  const timeoutFlag = durationFlag('timeout', flag(args, 'timeout') ?? '30s')
  const timeout = timeoutFlag < 0 ? WEEK_MS : timeoutFlag
  const condition = flag(args, 'for') ?? ''
  const check = checkFor(condition)
  await cluster.settle()
  const forDelete = condition.toLowerCase() === 'delete'
  const all = targets(cluster, args, forDelete)
  if (all.length === 0 && !forDelete) throw new KubectlError('error: no matching resources found')
  out.interruptible?.(INTERRUPTED)
  for (const { type, name, namespace } of all) {
    const get = () => cluster.store.get(type.kind, namespace, name)
    let verdict = check(get())
    if (verdict === false && timeout > 0) {
      const stopped = new AbortController()
      const timer = setTimeout(() => stopped.abort(), timeout)
      out.signal?.addEventListener('abort', () => stopped.abort(), { once: true })
      await followStore(cluster.store, stopped.signal, ({ object: o }, stop) => {
        if (o.kind !== type.kind || o.metadata.name !== name) return
        verdict = check(get())
        if (verdict !== false) stop()
      })
      clearTimeout(timer)
      if (out.signal?.aborted) return INTERRUPTED
    }
    if (typeof verdict === 'string') throw new KubectlError(`error: ${verdict}`)
    if (!verdict) throw new KubectlError(`error: timed out waiting for the condition on ${type.plural}/${name}`)
    out.stdout(`${qualifiedSingular(type)}/${name} condition met\n`)
  }
  return 0
}
