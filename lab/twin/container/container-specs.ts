import { join } from 'node:path'
import { COREDNS_DIR, clusterDnsDir, isDnsPod } from '../cluster/dnsmasq.ts'
import type { KObject } from '../cluster/store.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { routerDir } from '../router/frr-instance.ts'
import type { ContainerSpec } from './container-root.ts'

/** Short host name inside a container: `leaf0` for clab-bgp-leaf0, the node name for kind nodes. */
export function containerHostname(info: ContainerInfo): string {
  return info.labels['clab-node-name'] ?? info.name
}

/** Where a router's FRR instance dir (configs, sockets, pid files) shows inside it: FRR's own default. */
export const ROUTER_FRR_DIR = '/etc/frr'

/** Where a kind node's GoBGP speakers have their API sockets (`<slot>.sock`), in the node's own /run. */
export const NODE_GOBGP_DIR = '/var/run/gobgp'

/**
 * A docker container of the lab (kind node, router, clab linux node), started with a tty as kind and containerlab
 * start theirs (kind's provider/docker/provision.go commonArgs `--tty`; containerlab runtime/docker/docker.go
 * CreateContainer `Tty: true`).
 */
export function dockerContainer(lab: TwinContext, info: ContainerInfo): ContainerSpec {
  const binds: ContainerSpec['binds'] = info.kind === 'router' ? [[routerDir(lab, info.name), ROUTER_FRR_DIR]] : []
  return { key: info.name, ns: info.ns, hostname: containerHostname(info), image: info.image, binds, console: true }
}

/** Where a pod's web server serves from, inside the pod. */
export const POD_WEB_ROOT = '/srv'

/** The lab's directory a pod's web server serves (shown at POD_WEB_ROOT inside it). */
export const podWebDir = (lab: TwinContext, pod: KObject) => join(lab.runDir, 'pods', pod.metadata.name)

/**
 * A pod on the pod network (`ns` its network namespace): its first container's image, the pod's name as host name;
 * a CoreDNS pod also shows the cluster's DNS records, which its server reads.
 */
export function podContainer(lab: TwinContext, pod: KObject, ns: string): ContainerSpec {
  const binds: Array<[string, string]> = [[podWebDir(lab, pod), POD_WEB_ROOT]]
  if (isDnsPod(pod)) binds.push([clusterDnsDir(lab), COREDNS_DIR])
  return {
    key: `pod-${pod.metadata.name}`,
    ns,
    hostname: pod.metadata.name,
    image: pod.spec.containers?.[0]?.image ?? '',
    binds,
  }
}
