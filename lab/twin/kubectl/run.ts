import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { type Args, flag, flagOn } from './args.ts'
import { createGenerated } from './create-object.ts'
import { KubectlError, type Out } from './kubectl-error.ts'

const usage = (message: string) => new KubectlError(`error: ${message}\nSee 'kubectl run -h' for help and examples`)

/** `--labels=a=b,c=d` (run.go parseLabels). */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const spec of text.split(',')) {
    const parts = spec.split('=')
    if (parts.length !== 2) throw new KubectlError(`error: unexpected label spec: ${spec}`)
    if (!parts[0]) throw new KubectlError('error: unexpected empty label key')
    labels[parts[0]] = parts[1]
  }
  return labels
}

/**
 * `kubectl run NAME --image=IMAGE [--port=P] [--labels=...] [--env=K=V] [--restart=...] [--expose] [-- ARGS]`: one
 * pod as 1.23's run.go createPod builds it (labels `run=NAME` unless given, the container named after the pod), and
 * with --expose a ClusterIP service of the same name. Attaching (-i, -t, --attach, --rm) is refused: the pod's
 * shell is kubectl exec's.
 */
export function runCommand(cluster: Cluster, args: Args, out: Out): void {
  for (const attached of ['stdin', 'tty', 'attach', 'rm']) {
    if (flagOn(args, attached))
      throw new NotEmulatedError(
        'kubectl',
        `run --${attached}`,
        'Start the pod with kubectl run NAME --image=IMAGE, then open a shell in it with kubectl exec -it NAME -- sh.',
      )
  }
  const [name, ...rest] = args.positional
  if (!name) throw usage('NAME is required for run')
  const image = flag(args, 'image')
  if (!image) throw usage('--image is required')
  const port = flag(args, 'port')
  if (flagOn(args, 'expose') && !port) throw new KubectlError('error: --port must be set when exposing a service')
  if (port !== undefined && !/^\d+$/.test(port)) throw new KubectlError('error: --port must be a number')
  const restart = flag(args, 'restart') ?? 'Always'
  if (!['Always', 'OnFailure', 'Never'].includes(restart))
    throw new KubectlError(`error: invalid restart policy: ${restart}, valid values are: Always, OnFailure, Never`)
  const given = flag(args, 'labels')
  const labels = given ? parseLabels(given) : { run: name }
  const env = (args.flags.get('env') ?? []).map((pair) => {
    const eq = pair.indexOf('=')
    if (eq <= 0 || !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(pair.slice(0, eq)))
      throw new KubectlError(`error: invalid env: ${pair}`)
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
  })
  const argv = [...rest, ...(args.afterDash ?? [])]
  const container = {
    ...(argv.length ? { [flagOn(args, 'command') ? 'command' : 'args']: argv } : {}),
    ...(env.length ? { env } : {}),
    image,
    name,
    ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
    resources: {},
  }
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels, name },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
    status: {},
  }
  createGenerated(cluster, args, out, pod, 'created')
  if (flagOn(args, 'expose')) {
    const service: KObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, ...(given ? { labels } : {}) },
      spec: { ports: [{ port: Number(port), protocol: 'TCP', targetPort: Number(port) }], selector: labels },
      status: { loadBalancer: {} },
    }
    createGenerated(cluster, args, out, service, 'created')
  }
}
