import { withApiDefaults } from '../cluster/api-defaults.ts'
import type { Cluster } from '../cluster/cluster.ts'
import type { Change, KObject, ObjectStore } from '../cluster/store.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { type Args, flag, flagOn } from './args.ts'
import { getTable, requests } from './get.ts'
import { KubectlError, notFound, type Out } from './kubectl-error.ts'
import { checkNames, listObjects, selectionMatcher, selectionOf } from './list-objects.ts'
import { renderObjects } from './output.ts'
import { tabwrite } from './tabwriter.ts'

/** Where a streaming command writes, and how it learns that its caller is gone (see ToolIO). */
export type WatchOut = Out & Pick<ToolIO, 'signal' | 'interruptible'>

/** kubectl's interrupt handler (pkg/util/interrupt) ends the process with os.Exit(1) on SIGINT, SIGTERM, SIGHUP, SIGQUIT. */
export const INTERRUPTED = 1

/**
 * Calls `onChange` for every change of the store until `signal` aborts, then resolves. Without a signal (a caller
 * that only reads the whole output) it resolves at once: nothing could ever end the stream.
 */
export function followStore(
  store: ObjectStore,
  signal: AbortSignal | undefined,
  onChange: (change: Change, stop: () => void) => void,
): Promise<void> {
  return new Promise((resolve) => {
    if (!signal || signal.aborted) return resolve()
    const stop = () => {
      store.off('change', listener)
      signal.removeEventListener('abort', stop)
      resolve()
    }
    const listener = (change: Change) => onChange(change, stop)
    store.on('change', listener)
    signal.addEventListener('abort', stop, { once: true })
  })
}

/**
 * `kubectl get -w | --watch-only` (1.23 get.go watch): one type only; the current objects (unless --watch-only), then
 * a row for every change of a matching object, deletions included, until Ctrl-C, which kubectl answers by exiting 1
 * without a word. Rows go through the tabwriter one change at a time, as kubectl flushes after each event, so they
 * are aligned with the header only as far as their cells fit; the header comes with the first row printed.
 */
export async function watch(cluster: Cluster, args: Args, out: WatchOut): Promise<number> {
  await cluster.settle()
  const selection = selectionOf(args)
  const reqs = requests(cluster, args.positional)
  if (reqs.length > 1)
    throw new KubectlError(
      'error: watch is only supported on individual resources and resource collections - more than 1 resource was found',
    )
  const [{ type, names }] = reqs
  checkNames(selection, names)
  const namespace = type.namespaced ? selection.namespace : undefined
  let current: KObject[]
  let wanted: (o: KObject) => boolean
  if (names.length) {
    current = names
      .map((name) => cluster.store.get(type.kind, namespace, name) ?? name)
      .map((o) => {
        if (typeof o === 'string') throw new KubectlError(notFound(type, o))
        return o
      })
    wanted = (o) => o.kind === type.kind && o.metadata.namespace === namespace && names.includes(o.metadata.name)
  } else {
    current = listObjects(cluster, type, selection)
    wanted = selectionMatcher(type, selection)
  }
  const output = flag(args, 'output')
  const prefixNames = flagOn(args, 'show-kind')
  let headerDue = !flagOn(args, 'no-headers')
  const asTable = output === undefined || output === 'wide'
  const print = (objects: KObject[]) => {
    if (asTable && objects.length) {
      const table = getTable(type, objects, args, prefixNames)
      out.stdout(tabwrite(headerDue ? [table.headers, ...table.rows] : table.rows))
      headerDue = false
    }
    // -o json|yaml|name|...: each object on its own, as kubectl's printer is called once per watch event.
    for (const object of asTable ? [] : objects) {
      out.stdout(renderObjects(output, [{ type, object: withApiDefaults(object) }], true, !headerDue) ?? '')
      headerDue = false
    }
  }
  if (!flagOn(args, 'watch-only')) print(current)
  out.interruptible?.(INTERRUPTED)
  await followStore(cluster.store, out.signal, ({ object }) => {
    if (wanted(object)) print([object])
  })
  // Without a signal nothing could interrupt the stream: it ended after the current objects, with nothing wrong.
  return out.signal ? INTERRUPTED : 0
}
