import { fileURLToPath } from 'node:url'
import type { Cluster } from '../cluster/cluster.ts'
import { podNetns } from '../cluster/controllers/pod-network.ts'
import type { KObject } from '../cluster/store.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { type Args, flag } from './args.ts'
import { KubectlError } from './kubectl-error.ts'
import { namedObject, podsOf } from './pods-of-object.ts'

const RELAY = fileURLToPath(new URL('port-forward-relay.mjs', import.meta.url))

const USAGE =
  "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples"

/** What `--address` may name: the lab host's loopback, where the learner's shell runs (kubectl's default, localhost). */
const LOOPBACK: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  '127.0.0.1': ['127.0.0.1'],
  '::1': ['::1'],
}

/** `--address a,b`: loopback addresses only; the machine's other interfaces are not the lab's to open. */
function addressesOf(args: Args): string[] {
  const asked = (flag(args, 'address') ?? 'localhost').split(',')
  const refused = asked.find((a) => !(a in LOOPBACK))
  if (refused !== undefined) {
    throw new NotEmulatedError(
      'kubectl',
      `port-forward --address ${refused}`,
      "The twin forwards from the lab host's loopback only (localhost, 127.0.0.1, ::1): curl 127.0.0.1:PORT there.",
    )
  }
  return [...new Set(asked.flatMap((a) => LOOPBACK[a]))]
}

/** A container port by number or name, as kubectl's podcmd resolves `8080:http`. */
function containerPort(pod: KObject, remote: string): number {
  if (/^\d+$/.test(remote)) return Number(remote)
  const port = (pod.spec.containers ?? []).flatMap((c: any) => c.ports ?? []).find((p: any) => p.name === remote)
  if (!port) throw new KubectlError(`error: Pod '${pod.metadata.name}' does not have a named port '${remote}'`)
  return port.containerPort
}

/** A service port (number or name) as the pod's port it targets (1.23 translateServicePortToTargetPort). */
function servicePortToPod(svc: KObject, pod: KObject, remote: string): number {
  const port = (svc.spec.ports ?? []).find((p: any) => String(p.port) === remote || p.name === remote)
  if (!port) throw new KubectlError(`error: Service ${svc.metadata.name} does not have a service port ${remote}`)
  return containerPort(pod, String(port.targetPort ?? port.port))
}

/** `LOCAL:REMOTE`, `PORT` (the same both sides) or `:REMOTE` (any free local port), with REMOTE as the pod's port. */
function portPairs(words: string[], object: KObject, pod: KObject): string[] {
  return words.map((word) => {
    const [local, remote = local] = word.split(':')
    if (!/^\d*$/.test(local) || Number(local) > 65535)
      throw new KubectlError(
        `error: Error parsing local port '${local}': strconv.ParseUint: parsing "${local}": invalid syntax`,
      )
    const port = object.kind === 'Service' ? servicePortToPod(object, pod, remote) : containerPort(pod, remote)
    return `${local || 0}:${port}`
  })
}

/**
 * `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...` (1.23 portforward.go): the shim runs a forwarder on the lab
 * host's loopback into the pod (the first pod of a workload or service), printing kubectl's lines, until Ctrl-C.
 */
export async function portForward(cluster: Cluster, args: Args): Promise<{ execLocal: string[] }> {
  await cluster.settle()
  const [word, ...ports] = args.positional
  if (word === undefined || ports.length === 0) throw new KubectlError(USAGE)
  const addresses = addressesOf(args)
  const object = namedObject(cluster, args, word)
  const [pod] = podsOf(cluster, object, 'attach to')
  if (!pod) throw new KubectlError('error: timed out waiting for the condition')
  if (pod.status?.phase !== 'Running')
    throw new KubectlError(
      `error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`,
    )
  const pairs = portPairs(ports, object, pod)
  // A host-network pod (cilium, the speakers) listens in its node's namespace, as kubelet's forwarding finds it there.
  const netns = pod.spec.hostNetwork ? cluster.lab.ns(pod.spec.nodeName) : podNetns(cluster.lab, pod)
  return { execLocal: [process.execPath, RELAY, netns, pod.metadata.name, addresses.join(','), ...pairs] }
}
