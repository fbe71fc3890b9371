import { join } from 'node:path'
import type { ContainerInfo, TwinContext } from '../context.ts'
import type { KObject } from '../cluster/store.ts'
import type { ContainerSpec } from './container-root.ts'
import { routerDir } from '../router/frr-instance.ts'
import { speakerDir } from '../cluster/controllers/gobgp-speaker.ts'
import { COREDNS_DIR, clusterDnsDir, isDnsPod } from '../cluster/controllers/cluster-dns.ts'

/** Short host name inside a container: `leaf0` for clab-bgp-leaf0, the node name for kind nodes. */
export function containerHostname(info: ContainerInfo): string {
  return info.labels['clab-node-name'] ?? info.name
}

/** Where a router's FRR instance dir (configs, sockets, pid files) shows inside it: FRR's own default. */
export const ROUTER_FRR_DIR = '/etc/frr'

/**
 * Where a container's own commands show, first on its PATH: a router's `vtysh` (its FRR instance's), a kind node's
 * `crictl` (where kindest/node has it). The machine's /usr/local/bin holds nothing a container of the lab needs.
 */
export const CONTAINER_BIN = '/usr/local/bin'

/** Where a node's GoBGP speakers put their API sockets, inside the node. */
export const NODE_GOBGP_DIR = '/var/run/gobgp'

/** The lab's directory shown at CONTAINER_BIN in a kind node. */
export const nodeBinDir = (lab: TwinContext, node: string) => join(lab.runDir, 'containers', node, 'bin')

/** A docker container of the lab (kind node, router, clab linux node). */
export function dockerContainer(lab: TwinContext, info: ContainerInfo): ContainerSpec {
  const binds: ContainerSpec['binds'] = info.kind === 'router'
    ? [[routerDir(lab, info.name), ROUTER_FRR_DIR], [join(routerDir(lab, info.name), 'bin'), CONTAINER_BIN]]
    : info.kind === 'kind-node' ? [[speakerDir(lab, info.name), NODE_GOBGP_DIR], [nodeBinDir(lab, info.name), CONTAINER_BIN]] : []
  return { key: info.name, ns: info.ns, hostname: containerHostname(info), image: info.image, binds }
}

/** Where a pod's web server serves from, inside the pod. */
export const POD_WEB_ROOT = '/srv'

/** The lab's directory a pod's web server serves (shown at POD_WEB_ROOT inside it). */
export const podWebDir = (lab: TwinContext, pod: KObject) => join(lab.runDir, 'pods', pod.metadata.name)

/**
 * A pod on the pod network (`ns` its network namespace): its first container's image, the pod's name as host name;
 * a CoreDNS pod also has the cluster's DNS records.
 */
export function podContainer(lab: TwinContext, pod: KObject, ns: string): ContainerSpec {
  return {
    key: `pod-${pod.metadata.name}`,
    ns,
    hostname: pod.metadata.name,
    image: pod.spec.containers?.[0]?.image ?? '',
    binds: [[podWebDir(lab, pod), POD_WEB_ROOT], ...(isDnsPod(pod) ? [[clusterDnsDir(lab), COREDNS_DIR] as [string, string]] : [])],
  }
}
