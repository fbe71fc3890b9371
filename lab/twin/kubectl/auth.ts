import type { Cluster } from '../cluster/cluster.ts'
import { findType } from '../cluster/resources.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { discoveredTypes } from './api-discovery.ts'
import { type Args, flagOn } from './args.ts'
import { subcommandRun } from './help.ts'
import { KubectlError, type Out } from './kubectl-error.ts'

const ADMIN =
  "kind's kubeconfig is the cluster admin (group system:masters): kubectl auth can-i VERB RESOURCE answers yes."

/**
 * `kubectl auth can-i VERB RESOURCE [NAME]` as kind's admin user asks it (pkg/cmd/auth/cani.go Complete, resourceFor): system:masters may
 * do everything, so `yes`; a resource discovery does not know is warned about first, as kubectl does; -q prints nothing.
 */
export function auth(cluster: Cluster, args: Args, out: Out): number {
  const [sub, ...words] = args.positional
  if (sub === 'reconcile') throw new NotEmulatedError('kubectl', 'auth reconcile', ADMIN)
  if (sub !== 'can-i') return subcommandRun('auth', sub, out.stderr)
  if (flagOn(args, 'list')) throw new NotEmulatedError('kubectl', 'auth can-i --list', ADMIN)
  const [verb, resource] = words
  const nonResource = resource?.startsWith('/')
  if (words.length < 2 || words.length > 3 || (nonResource && words.length !== 2)) {
    throw new KubectlError('error: you must specify two or three arguments: verb, resource, and optional resourceName')
  }
  if (!nonResource && verb !== '*') {
    const name = resource.split('/')[0]
    const known =
      name === '*' ||
      findType(cluster.store, name) ||
      discoveredTypes(cluster.store).some((t) => t.plural === name || t.shortNames.includes(name))
    if (!known) out.stderr(`Warning: the server doesn't have a resource type '${name}'\n`)
  }
  if (!flagOn(args, 'quiet')) out.stdout('yes\n')
  return 0
}
