import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { type CommandTable, refuseIfReal } from '../daemon/not-emulated.ts'
import { type Args, flag, flagOn } from './args.ts'
import { durationFlag } from './duration-flag.ts'
import { requests } from './get.ts'
import { subcommandRun } from './help.ts'
import { KubectlError, notFound } from './kubectl-error.ts'
import { selectionOf } from './list-objects.ts'
import { rolloutHistory } from './rollout-history.ts'
import { rolloutRestart } from './rollout-restart.ts'
import { followStore, INTERRUPTED, type WatchOut } from './watch.ts'

const LOOK =
  'kubectl get deployment,daemonset -o wide shows the rollout; change a workload by applying its manifest again.'
const RESTART = 'Start new pods with kubectl rollout restart TYPE/NAME.'

/** `kubectl rollout --help` (1.23): what the twin answers of it. */
export const KUBECTL_ROLLOUT_COMMANDS: CommandTable = {
  tool: 'kubectl',
  emulated: ['history', 'restart', 'status'],
  notEmulated: { pause: RESTART, resume: RESTART, undo: LOOK },
}

type Status = { message: string; done: boolean }

/** polymorphichelpers DeploymentStatusViewer (1.23); the twin's controllers observe every spec at once, once they have run. */
function deploymentStatus(d: KObject): Status {
  const name = d.metadata.name
  const s = d.status
  if (!s) return { message: 'Waiting for deployment spec update to be observed...\n', done: false }
  const replicas = d.spec?.replicas ?? 1
  const updated = s.updatedReplicas ?? 0
  if (updated < replicas)
    return {
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`,
      done: false,
    }
  if ((s.replicas ?? 0) > updated)
    return {
      message: `Waiting for deployment "${name}" rollout to finish: ${s.replicas - updated} old replicas are pending termination...\n`,
      done: false,
    }
  if ((s.availableReplicas ?? 0) < updated)
    return {
      message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`,
      done: false,
    }
  return { message: `deployment "${name}" successfully rolled out\n`, done: true }
}

/** polymorphichelpers DaemonSetStatusViewer (1.23). */
function daemonSetStatus(ds: KObject): Status {
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate')
    throw new KubectlError('error: rollout status is only available for RollingUpdate strategy type')
  const name = ds.metadata.name
  const s = ds.status
  if (!s) return { message: 'Waiting for daemon set spec update to be observed...\n', done: false }
  const desired = s.desiredNumberScheduled ?? 0
  if ((s.updatedNumberScheduled ?? 0) < desired)
    return {
      message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`,
      done: false,
    }
  if ((s.numberAvailable ?? 0) < desired)
    return {
      message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...\n`,
      done: false,
    }
  return { message: `daemon set "${name}" successfully rolled out\n`, done: true }
}

/**
 * `kubectl rollout status TYPE/NAME` (1.23 rollout_status.go): prints the status viewer's line for the object as it
 * is, then again on every change of it, until the rollout is complete; `--watch=false` prints once; `--timeout`
 * gives up with `timed out waiting for the condition`; a deleted object ends it with an error; Ctrl-C exits 1
 * quietly. It reads the store without waiting for the controllers, so a rollout in progress shows its steps.
 */
export async function rollout(cluster: Cluster, args: Args, out: WatchOut): Promise<number> {
  const [sub, ...rest] = args.positional
  if (sub === undefined) return subcommandRun('rollout', sub, out.stdout)
  refuseIfReal(KUBECTL_ROLLOUT_COMMANDS, sub, `rollout ${sub}`)
  if (sub === 'restart') return rolloutRestart(cluster, { ...args, positional: rest }, out)
  if (sub === 'history') return rolloutHistory(cluster, { ...args, positional: rest }, out)
  if (sub !== 'status') return subcommandRun('rollout', sub, out.stdout)
  // A flag's value is read with the flags, before anything is asked of the API server.
  const timeout = durationFlag('timeout', flag(args, 'timeout') ?? '0s')
  if (rest.length === 0) throw new KubectlError('error: required resource not specified')
  const [{ type, names }] = requests(cluster, rest)
  if (names.length !== 1)
    throw new KubectlError(
      names.length
        ? `error: rollout status is only supported on individual resources and resource collections - ${names.length} resources were found`
        : 'error: required resource not specified',
    )
  const viewer = type.kind === 'Deployment' ? deploymentStatus : type.kind === 'DaemonSet' ? daemonSetStatus : undefined
  if (!viewer)
    throw new KubectlError(
      `error: no status viewer has been implemented for ${type.group ? `${type.kind}.${type.group}` : type.kind}`,
    )
  const namespace = selectionOf(args).namespace
  const object = cluster.store.get(type.kind, namespace, names[0])
  if (!object) throw new KubectlError(notFound(type, names[0]))
  const first = viewer(object)
  out.stdout(first.message)
  if (first.done || (args.flags.has('watch') && !flagOn(args, 'watch'))) return 0
  out.interruptible?.(INTERRUPTED)
  let exitCode = INTERRUPTED
  const stopped = new AbortController()
  const timer = timeout > 0 ? setTimeout(() => stopped.abort(), timeout) : undefined
  out.signal?.addEventListener('abort', () => stopped.abort(), { once: true })
  await followStore(cluster.store, stopped.signal, ({ type: change, object: o }, stop) => {
    if (o.kind !== type.kind || o.metadata.namespace !== namespace || o.metadata.name !== names[0]) return
    if (change === 'DELETED') {
      // rollout_status.go: a deleted object is not waited for, lest a new one of that name be watched instead.
      out.stderr('error: object has been deleted\n')
      exitCode = 1
      return stop()
    }
    const status = viewer(o)
    out.stdout(status.message)
    if (status.done) {
      exitCode = 0
      stop()
    }
  })
  clearTimeout(timer)
  if (timer && exitCode === INTERRUPTED && !out.signal?.aborted)
    out.stderr('error: timed out waiting for the condition\n')
  return exitCode
}
