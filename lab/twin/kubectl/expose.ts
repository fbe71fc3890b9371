import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { type Args, flag } from './args.ts'
import { createGenerated } from './create-object.ts'
import { KubectlError, NO_RESOURCES, type Out } from './kubectl-error.ts'
import { targetObjects } from './target-objects.ts'

const usage = (message: string) => new KubectlError(`error: ${message}\nSee 'kubectl expose -h' for help and examples`)
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']

type Port = { port: number; protocol: string }

/**
 * The pod selector and ports of what is exposed, as kubectl's polymorphichelpers read them
 * (MapBasedSelectorForObject, PortsForObject, ProtocolsForObject): a pod's labels and container ports, a
 * deployment's or replica set's matchLabels and template ports, a service's selector and ports.
 */
function introspect(object: KObject): { selector: Record<string, string>; ports: Port[] } {
  const containerPorts = (spec: any): Port[] =>
    (spec?.containers ?? []).flatMap((c: any) =>
      (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })),
    )
  switch (object.kind) {
    case 'Pod':
      if (!Object.keys(object.metadata.labels ?? {}).length)
        throw usage(
          "couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed",
        )
      return { selector: object.metadata.labels!, ports: containerPorts(object.spec) }
    case 'Deployment':
    case 'ReplicaSet': {
      const selector = object.spec.selector ?? {}
      if (selector.matchExpressions?.length)
        throw usage(
          `couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "${JSON.stringify(selector.matchExpressions)}" to map-based selector format`,
        )
      return { selector: selector.matchLabels ?? {}, ports: containerPorts(object.spec.template?.spec) }
    }
    case 'Service':
      if (!object.spec.selector)
        throw usage(
          "couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set",
        )
      return {
        selector: object.spec.selector,
        ports: (object.spec.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
      }
    default:
      throw new KubectlError(
        `error: cannot expose a ${object.kind}${object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : ''}`,
      )
  }
}

/** `--selector=a=b,c=d` (expose takes only equality selectors). */
function parseSelector(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const [key, value] = pair.split('=')
      if (!key || value === undefined) throw usage(`couldn't parse the selector string "${text}"`)
      return [key, value]
    }),
  )
}

/**
 * `kubectl expose (deployment|pod|replicaset|service) NAME [--port=P] [--target-port=T] [--type=T] [--name=N]`: a
 * Service as 1.23's service generator builds it (pkg/cmd/expose/expose.go, generate/versioned/service.go): named
 * after the resource, with its labels and pod selector, one port per introspected port (`port-1`, `port-2` when
 * several) unless --port says; `service/NAME exposed`. The twin's endpoints, kube-proxy and LB controllers then
 * make it answer like any applied Service.
 */
export function expose(cluster: Cluster, args: Args, out: Out): void {
  if (args.positional.length === 0) throw usage(NO_RESOURCES)
  const [target] = targetObjects(cluster, args)
  const { object } = target
  const found = introspect(object)
  const selector = flag(args, 'selector') !== undefined ? parseSelector(flag(args, 'selector')!) : found.selector
  const type = flag(args, 'type')
  if (type !== undefined && !SERVICE_TYPES.includes(type))
    throw new KubectlError(
      `Error from server (Invalid): Service "${flag(args, 'name') ?? target.name}" is invalid: spec.type: Unsupported value: "${type}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
    )
  const portFlag = flag(args, 'port')
  const protocol = flag(args, 'protocol')
  const ports: Port[] =
    portFlag !== undefined
      ? [{ port: Number(portFlag), protocol: protocol ?? found.ports[0]?.protocol ?? 'TCP' }]
      : found.ports
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p.port)))
    throw usage("couldn't find port via --port flag or introspection")
  const targetPort = flag(args, 'target-port')
  const labels = flag(args, 'labels') !== undefined ? parseSelector(flag(args, 'labels')!) : object.metadata.labels
  const service: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...(labels && Object.keys(labels).length ? { labels } : {}), name: flag(args, 'name') ?? target.name },
    spec: {
      ports: ports.map((p, i) => ({
        ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}),
        port: p.port,
        protocol: protocol ?? p.protocol,
        targetPort: targetPort === undefined ? p.port : /^\d+$/.test(targetPort) ? Number(targetPort) : targetPort,
      })),
      selector,
      ...(type ? { type } : {}),
      ...(flag(args, 'load-balancer-ip') ? { loadBalancerIP: flag(args, 'load-balancer-ip') } : {}),
      ...(flag(args, 'external-ip') ? { externalIPs: [flag(args, 'external-ip')] } : {}),
    },
    status: { loadBalancer: {} },
  }
  createGenerated(cluster, args, out, service, 'exposed')
}
