import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type ContainerSpec, enterContainer, stopContainer } from '../../container/container-root.ts'
import { POD_WEB_ROOT, podContainer, podWebDir } from '../../container/container-specs.ts'
import type { TwinContext } from '../../context.ts'
import type { Cluster, Controller } from '../cluster.ts'
import { ipBatch } from '../ip-batch.ts'
import { parseCidr, randomFree, toInt, toIp, usableRange } from '../ipv4.ts'
import { nodeResolvConf, podResolvConf, writePodResolvConf } from '../pod-resolv-conf.ts'
import type { KObject } from '../store.ts'
import type { CiliumAgent } from './cilium-agent.ts'
import { podLogNote, podPage, podServer } from './pod-server.ts'
import { runningStatus } from './pod-status.ts'
import { internalIp, isReady } from './scheduling.ts'

/** System pods (CoreDNS, provisioners, MetalLB's controller) get a network but run no web server. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'local-path-storage', 'metallb-system'])

/** The network namespace of a pod that is not on its node's network. */
export const podNetns = (lab: TwinContext, pod: KObject) => lab.ns(`pod-${pod.metadata.name}`)

/** Cilium names a pod's host-side veth `lxc` + 12 hex digits (15 chars, the kernel's limit). */
export const lxcName = (podNs: string) => `lxc${createHash('sha256').update(podNs).digest('hex').slice(0, 12)}`

interface Realized {
  uid: string
  node: string
  ip: string
  ns: string
  /** The pod's container (container-specs.ts), which lives in `ns`. */
  container: string
  server?: { stop(): Promise<void> }
}

/**
 * The CNI: each pod that needs a network gets a namespace with eth0 (a /32 from its node's pod CIDR, random and free,
 * default route via the node's cilium_host address), a veth `lxc...` on the node with a /32 route to it, and, for the
 * lab's workloads, the server their command runs (pod-server.ts): a busybox httpd answering
 * `PodName: <pod> | PodIP: eth0 <ip>/32`.
 */
export class PodNetwork implements Controller {
  readonly name = 'pod-network'
  private readonly pods = new Map<string, Realized>()

  constructor(private readonly agent: CiliumAgent) {}

  async reconcile(cluster: Cluster): Promise<void> {
    const { store } = cluster
    const wanted = new Map<string, KObject>()
    for (const pod of store.list('Pod')) {
      const node = store.get('Node', undefined, pod.spec.nodeName ?? '')
      if (pod.spec.hostNetwork || !node || !isReady(node) || !this.agent.gateway(node.metadata.name)) continue
      wanted.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod)
    }
    // A pod deleted and created again under the same name is a new pod (new uid): it starts afresh.
    const gone = [...this.pods].filter(([key, realized]) => wanted.get(key)?.metadata.uid !== realized.uid)
    await Promise.all(gone.map(([key, realized]) => this.remove(cluster, key, realized)))
    // Pods come up in parallel (each is a handful of short commands); addresses are chosen before any await.
    const adds = [...wanted]
      .filter(([key]) => !this.pods.has(key))
      .map(([key, pod]) =>
        this.add(cluster, key, pod).catch((error) => {
          this.pods.delete(key)
          throw error
        }),
      )
    const failed = (await Promise.allSettled(adds)).find((r) => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }

  async stop(cluster: Cluster): Promise<void> {
    for (const [key, realized] of this.pods) await this.remove(cluster, key, realized)
  }

  private async add(cluster: Cluster, key: string, pod: KObject): Promise<void> {
    const { lab, store } = cluster
    const nodeName = pod.spec.nodeName
    const node = store.get('Node', undefined, nodeName)!
    const gateway = this.agent.gateway(nodeName)!
    const cidr = parseCidr(this.agent.podCidr(nodeName)!)
    const used = new Set([
      toInt(gateway),
      ...[...this.pods.values()].filter((p) => p.node === nodeName).map((p) => toInt(p.ip)),
    ])
    // A restarted daemon keeps the address the store recorded.
    const restarted = pod.status?.podIP !== undefined
    const ip = pod.status?.podIP ?? toIp(randomFree(usableRange(cidr), used)!)
    const ns = podNetns(lab, pod)
    const lxc = lxcName(ns)
    const spec = podContainer(lab, pod, ns)
    const realized: Realized = { uid: pod.metadata.uid!, node: nodeName, ip, ns, container: spec.key }
    this.pods.set(key, realized)
    // A daemon restarted over a live lab finds the old namespace: start the pod afresh with the address it had
    // (and without the container an earlier try may have left in it).
    if (restarted) {
      await stopContainer(lab, spec.key)
      await lab.deleteNamespace(ns)
    }
    await lab.addNamespace(ns)
    await ipBatch(lab, lab.ns(nodeName), [
      `link add ${lxc} type veth peer name eth0 netns ${ns}`,
      `link set ${lxc} up`,
      // Sourced from cilium_host as Cilium's own routes are: what the node sends a pod (an ICMP time exceeded on a
      // traceroute's first hop) comes from the pod's gateway, not from the node's eth0.
      `route replace ${ip}/32 dev ${lxc} src ${gateway}`,
    ])
    await ipBatch(lab, ns, [
      `addr add ${ip}/32 dev eth0`,
      'link set eth0 up',
      `route add ${gateway} dev eth0 scope link`,
      `route add default via ${gateway} dev eth0`,
    ])
    // kubelet's resolv.conf for the pod, seen by everything that enters it (`kubectl exec`, its server).
    const resolvConf = podResolvConf(pod, nodeResolvConf())
    if (resolvConf !== null) writePodResolvConf(ns, resolvConf)
    if (!SYSTEM_NAMESPACES.has(pod.metadata.namespace!)) await this.serve(cluster, pod, realized, spec)
    store.patch('Pod', pod.metadata.namespace, pod.metadata.name, (o) => {
      o.status = runningStatus(o, ip, internalIp(node), new Date().toISOString().replace(/\.\d+Z$/, 'Z'))
    })
  }

  /** Starts what serves in a workload pod (pod-server.ts) in its container: `ps` there shows it; its output is the pod's log. */
  private async serve(cluster: Cluster, pod: KObject, realized: Realized, spec: ContainerSpec): Promise<void> {
    const { lab } = cluster
    const server = podServer(pod)
    const note = podLogNote(server)
    if (note !== null) cluster.log(pod.metadata.name, note, { logrus: false })
    if (server.kind === 'not-run') return
    const www = podWebDir(lab, pod)
    await mkdir(www, { recursive: true })
    await writeFile(join(www, 'index.html'), podPage(server, pod.metadata.name, realized.ip))
    const [port, verbose] = server.kind === 'httpd' ? [server.port, server.verbose] : ['80', true]
    realized.server = await lab.startDaemon(`httpd-${pod.metadata.name}`, [
      ...(await enterContainer(lab, spec)),
      'busybox',
      'httpd',
      '-f',
      ...(verbose ? ['-v'] : []),
      '-p',
      port,
      '-h',
      POD_WEB_ROOT,
    ])
  }

  private async remove(cluster: Cluster, key: string, realized: Realized): Promise<void> {
    this.pods.delete(key)
    await realized.server?.stop()
    // The container first, and wholly: one still ending when the pod comes back (a restarted cluster side) would be
    // entered by its new server, which then never runs.
    await stopContainer(cluster.lab, realized.container)
    // Deleting the namespace destroys the veth pair, and the node's /32 route with its device.
    await cluster.lab.deleteNamespace(realized.ns)
  }
}
