import type { Cluster } from '../cluster/cluster.ts'
import { qualifiedSingular } from '../cluster/resources.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { type Args, flag, flagOn } from './args.ts'
import { dryRunOf, dryRunSuffix } from './dry-run.ts'
import { resolveTypes } from './get.ts'
import { KubectlError, notFound, type Out } from './kubectl-error.ts'

/** `kubectl taint nodes NAME key[=value]:Effect[-]...` */
export function taint(cluster: Cluster, args: Args, out: Out): number {
  const [typeWord, name, ...specs] = args.positional
  const type = resolveTypes(cluster, typeWord ?? '')[0]
  if (type.kind !== 'Node')
    throw new KubectlError(`error: invalid resource type ${typeWord}, only node types are supported`)
  if (!name || specs.length === 0) throw new KubectlError('error: at least one taint update is required')
  const node = cluster.store.get('Node', undefined, name)
  if (!node) throw new KubectlError(notFound(type, name))
  let taints: { key: string; value?: string; effect: string }[] = [...(node.spec.taints ?? [])]
  let removed = false
  for (const spec of specs) {
    const m = /^([\w./-]+)(?:=([\w.-]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?(-)?$/.exec(spec)
    if (!m || (!m[3] && !m[4]))
      throw new KubectlError(`error: invalid taint spec: ${spec}, unknown taint spec: ${spec}`)
    const [, key, value, effect, minus] = m
    if (minus) {
      const kept = taints.filter((t) => !(t.key === key && (!effect || t.effect === effect)))
      if (kept.length === taints.length)
        throw new KubectlError(`error: taint "${key}${effect ? `:${effect}` : ''}" not found`)
      taints = kept
      removed = true
    } else {
      if (taints.some((t) => t.key === key && t.effect === effect) && !flagOn(args, 'overwrite')) {
        throw new KubectlError(
          `error: node ${name} already has ${key} taint(s) with same effect(s) and --overwrite is false`,
        )
      }
      taints = [
        ...taints.filter((t) => !(t.key === key && t.effect === effect)),
        { key, ...(value ? { value } : {}), effect },
      ]
    }
  }
  const dryRun = dryRunOf(args, out)
  if (dryRun === 'none')
    cluster.store.patch(
      'Node',
      undefined,
      name,
      (o) => void (taints.length ? (o.spec.taints = taints) : delete o.spec.taints),
    )
  out.stdout(
    `node/${name} ${removed && specs.every((s) => s.endsWith('-')) ? 'untainted' : 'tainted'}${dryRunSuffix(dryRun)}\n`,
  )
  return 0
}

/** `kubectl label TYPE NAME key=value... key-` */
export function label(cluster: Cluster, args: Args, out: Out): number {
  const [typeWord, name, ...specs] = args.positional
  if (typeWord === undefined)
    throw new KubectlError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>')
  const type = resolveTypes(cluster, typeWord)[0]
  if (!name || specs.length === 0) throw new KubectlError('error: at least one label update is required')
  const namespace = type.namespaced ? (flag(args, 'namespace') ?? 'default') : undefined
  const object = cluster.store.get(type.kind, namespace, name)
  if (!object) throw new KubectlError(notFound(type, name))
  const labels = { ...(object.metadata.labels ?? {}) }
  for (const spec of specs) {
    if (spec.endsWith('-')) delete labels[spec.slice(0, -1)]
    else {
      const eq = spec.indexOf('=')
      if (eq <= 0) throw new KubectlError(`error: invalid label spec: ${spec}`)
      const key = spec.slice(0, eq)
      if (labels[key] !== undefined && labels[key] !== spec.slice(eq + 1) && !flagOn(args, 'overwrite')) {
        throw new KubectlError(`error: '${key}' already has a value (${labels[key]}), and --overwrite is false`)
      }
      labels[key] = spec.slice(eq + 1)
    }
  }
  const dryRun = dryRunOf(args, out)
  const changed = JSON.stringify(labels) !== JSON.stringify(object.metadata.labels ?? {})
  if (dryRun === 'none') cluster.store.patch(type.kind, namespace, name, (o) => void (o.metadata.labels = labels))
  out.stdout(
    `${qualifiedSingular(type)}/${name} ${changed ? (specs.every((s) => s.endsWith('-')) ? 'unlabeled' : 'labeled') : 'not labeled'}${dryRunSuffix(dryRun)}\n`,
  )
  return 0
}

/** `kubectl scale deployment NAME --replicas=N` (also `deploy/NAME`). */
export function scale(cluster: Cluster, args: Args, out: Out): number {
  const replicas = flag(args, 'replicas')
  if (replicas === undefined || !/^\d+$/.test(replicas))
    throw new KubectlError('error: required flag(s) "replicas" not set')
  const [first, second] = args.positional
  const [typeWord, name] = first?.includes('/') ? first.split('/') : [first, second]
  const type = resolveTypes(cluster, typeWord ?? '')[0]
  const namespace = flag(args, 'namespace') ?? 'default'
  if (!cluster.store.get(type.kind, type.namespaced ? namespace : undefined, name ?? ''))
    throw new KubectlError(notFound(type, name ?? ''))
  if (['ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(type.kind))
    throw new NotEmulatedError(
      'kubectl',
      `scale ${type.plural}`,
      "The twin scales Deployments: kubectl scale deployment NAME --replicas=N (a Deployment's ReplicaSet follows it).",
    )
  // The object exists but has no /scale subresource (a DaemonSet runs one pod per node): the API server's 404 for
  // the subresource, as client-go's scale client reports it.
  if (type.kind !== 'Deployment')
    throw new KubectlError('Error from server (NotFound): the server could not find the requested resource')
  const dryRun = dryRunOf(args, out)
  if (dryRun === 'none')
    cluster.store.patch('Deployment', namespace, name ?? '', (o) => void (o.spec.replicas = Number(replicas)))
  out.stdout(`deployment.apps/${name} scaled${dryRunSuffix(dryRun)}\n`)
  return 0
}
