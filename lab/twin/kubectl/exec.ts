import { randomBytes } from 'node:crypto'
import { agentPodVars } from '../cilium/agent-cli.ts'
import type { Cluster } from '../cluster/cluster.ts'
import { podNetns } from '../cluster/controllers/pod-network.ts'
import { podEnv } from '../cluster/pod-env.ts'
import type { KObject } from '../cluster/store.ts'
import { type ContainerSpec, containerFiles, enterContainer } from '../container/container-root.ts'
import { dockerContainer, podContainer } from '../container/container-specs.ts'
import { attachExec } from '../container/exec-attach.ts'
import { execNotFound } from '../container/exec-lookup.ts'
import type { ToolIO, ToolResult } from '../daemon/tool.ts'
import { type Args, flag, flagOn } from './args.ts'
import { KubectlError } from './kubectl-error.ts'
import { refuseIfKubeletStopped } from './kubelet-unreachable.ts'
import { namedObject, podsOf } from './pods-of-object.ts'

/**
 * `POD`, `pod/POD`, or a workload or service (`ds/cilium`, `deploy/web`, `svc/web`): its first pod in the order
 * kubectl's AttachablePodForObject picks it (polymorphichelpers/attachablepodforobject.go, kubectl 1.23).
 */
function findPod(cluster: Cluster, args: Args): KObject {
  const word = args.positional[0]
  const object = namedObject(cluster, args, word)
  const [pod] = podsOf(cluster, object, 'attach to')
  // GetFirstPod waits --pod-running-timeout (1m) for a pod to appear, then gives up with the wait package's error.
  if (!pod) throw new KubectlError('error: timed out waiting for the condition')
  return pod
}

/** The container `-c` names (kubectl's default: the first), refused like the API server when the pod has none of that name. */
function containerOf(pod: KObject, args: Args): string | undefined {
  const asked = flag(args, 'container')
  const names: string[] = (pod.spec.containers ?? []).map((c: { name: string }) => c.name)
  if (asked !== undefined && !names.includes(asked))
    throw new KubectlError(
      `Error from server (BadRequest): container ${asked} is not valid for pod ${pod.metadata.name}`,
    )
  return asked ?? names[0]
}

/**
 * The container a pod's processes live in: its own (network, PID, mount and UTS namespaces, host name the pod's), or
 * its node's for host-network pods (cilium, kube-proxy), whose host name is the node's.
 */
function podRoot(cluster: Cluster, pod: KObject): ContainerSpec {
  if (!pod.spec.hostNetwork) return podContainer(cluster.lab, pod, podNetns(cluster.lab, pod))
  const node = cluster.lab.containers.get(pod.spec.nodeName)
  if (!node) throw new KubectlError(`error: unable to upgrade connection: node ${pod.spec.nodeName} not found`)
  return dockerContainer(cluster.lab, node)
}

/** The image's WORKDIR, where an exec'd command starts: netshoot's is /root (its Dockerfile), the others' `/`. */
const imageWorkdir = (pod: KObject) =>
  (pod.spec.containers?.[0]?.image ?? '').startsWith('nicolaka/netshoot:') ? '/root' : '/'

/**
 * `kubectl exec [-it] POD -- CMD`: runs CMD in the pod's container (container-root.ts). On a terminal the shim runs
 * it itself (interactive shells, streaming output); from scripts and checks the output comes back through the daemon.
 */
export async function exec(cluster: Cluster, args: Args, io: ToolIO): Promise<ToolResult> {
  // The pod sees what was just applied or deleted: its service's rules and DNS records are in place first.
  // Checked before the API server is asked, in this order (ExecOptions.Validate, kubectl 1.23).
  if (!args.positional[0]) throw new KubectlError('error: pod, type/name or --filename must be specified')
  const typed = args.afterDash ?? args.positional.slice(1)
  if (typed.length === 0) throw new KubectlError('error: you must specify at least one command for the container')
  await cluster.settle()
  const pod = findPod(cluster, args)
  refuseIfKubeletStopped(cluster, pod, 'exec')
  const container = containerOf(pod, args)
  // The API server has no kubelet to send the exec to (pkg/registry/core/pod/strategy.go streamLocation, 1.23).
  if (!pod.spec.nodeName)
    throw new KubectlError(`Error from server (BadRequest): pod ${pod.metadata.name} does not have a host assigned`)
  if (pod.status?.phase !== 'Running')
    throw new KubectlError(`error: unable to upgrade connection: container not found ("${container}")`)
  const root = podRoot(cluster, pod)
  // The container's own environment, nothing of the lab host's; a Cilium agent's also has the agent CLI (`cilium`)
  // and knows its node, also in a shell started there.
  const vars = [...podEnv(cluster.store, pod, root.hostname, io.tty), ...agentPodVars(cluster.lab, pod)]
  const path = vars
    .filter((v) => v.startsWith('PATH='))
    .at(-1)!
    .slice('PATH='.length)
  const command = ['env', '-i', '-C', imageWorkdir(pod), ...vars, ...typed]
  const enter = await enterContainer(cluster.lab, root)
  // After entering: a container started on demand has its own bin only then.
  const missing = execNotFound(typed[0], containerFiles(cluster.lab, root.key).bin, path)
  // containerd's CRI wraps the runtime's error (an exec id of 64 hex digits) and kubectl prints it as an API error.
  if (missing !== null)
    throw new KubectlError(
      `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${randomBytes(32).toString('hex')}": ${missing}`,
    )
  // On the learner's terminal the shim runs the command itself: output streams as it comes and Ctrl-C stops it.
  // A tty only with -i and -t (kubectl 1.23 StreamOptions.SetupTTY: -t without -i is dropped), stdin only with -i.
  if (io.tty) {
    const stdin = flagOn(args, 'stdin')
    return {
      execLocal: await attachExec(cluster.lab, root, enter, command, {
        tty: stdin && flagOn(args, 'tty'),
        stdin,
        // client-go remotecommand's errorDecoderV4 (CodeExitError), which kubectl prints once the terminal is back.
        failure: 'command terminated with exit code %d\n',
      }),
    }
  }
  const input = flagOn(args, 'stdin') && io.stdin !== null ? io.stdin : undefined
  // Byte for byte, as kubectl streams it: `curl -w '%{http_code} '` in a loop stays on one line.
  const result = await cluster.lab.run([...enter, ...command], { input, timeoutMs: 600_000, exact: true })
  io.stdout(result.stdout)
  io.stderr(result.stderr)
  if (result.exitCode !== 0) io.stderr(`command terminated with exit code ${result.exitCode}\n`)
  return { exitCode: result.exitCode }
}
