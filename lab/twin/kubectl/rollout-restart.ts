import type { Cluster } from '../cluster/cluster.ts'
import { RESTARTED_AT } from '../cluster/controllers/replica-sets.ts'
import { qualifiedSingular } from '../cluster/resources.ts'
import type { Args } from './args.ts'
import { KubectlError, type Out } from './kubectl-error.ts'
import { targetObjects } from './target-objects.ts'

/** Go's `time.Now().Format(time.RFC3339)` in the host's zone: `2026-12-03T16:40:05Z`, or `...+01:00`. */
export function rfc3339(now: Date): string {
  const offset = -now.getTimezoneOffset()
  const local = new Date(now.getTime() + offset * 60_000).toISOString().slice(0, 19)
  if (offset === 0) return `${local}Z`
  const abs = Math.abs(offset)
  return `${local}${offset > 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/**
 * `kubectl rollout restart TYPE/NAME...` (1.23 rollout_restart.go and polymorphichelpers/objectrestarter.go): stamps
 * the pod template of each deployment or daemon set with `restartedAt`, printing `deployment.apps/x restarted`; a
 * paused deployment or another kind is an error for that object only, reported after the others are restarted.
 */
export function rolloutRestart(cluster: Cluster, args: Args, out: Out, now = new Date()): number {
  if (args.positional.length === 0) throw new KubectlError('error: required resource not specified')
  const errors: string[] = []
  const stamp = rfc3339(now)
  for (const { type, namespace, name, object } of targetObjects(cluster, args, args.positional, true)) {
    const resource = type.group ? `${type.plural}.${type.group}` : type.plural
    if (type.kind !== 'Deployment' && type.kind !== 'DaemonSet') {
      errors.push(`error: ${resource} "${name}" restarting is not supported`)
      continue
    }
    if (type.kind === 'Deployment' && object.spec?.paused) {
      errors.push(`error: ${resource} "${name}" can't restart paused deployment (run rollout resume first)`)
      continue
    }
    // Two restarts within one second compute the same stamp: kubectl sends the empty patch anyway and says so.
    if (object.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === stamp)
      errors.push(`failed to create patch for ${name}: empty patch`)
    cluster.store.patch(type.kind, namespace, name, (o) => {
      const metadata = (o.spec.template.metadata ??= {})
      metadata.annotations = { ...(metadata.annotations ?? {}), [RESTARTED_AT]: stamp }
    })
    out.stdout(`${qualifiedSingular(type)}/${name} restarted\n`)
  }
  if (errors.length === 0) return 0
  // utilerrors.NewAggregate, then cmdutil.CheckErr's `error: ` prefix where the message lacks one.
  const message = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`
  throw new KubectlError(message.startsWith('error: ') ? message : `error: ${message}`)
}
