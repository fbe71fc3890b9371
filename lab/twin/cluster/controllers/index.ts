import type { Controller } from '../cluster.ts'
import { BgpControlPlane } from './bgp-control-plane.ts'
import { bgpV2Operator } from './bgp-v2-operator.ts'
import { CiliumAgent } from './cilium-agent.ts'
import { ciliumEndpointsController } from './cilium-endpoints.ts'
import { ClusterDns } from './cluster-dns.ts'
import { endpointsController } from './endpoints.ts'
import { KubeProxy } from './kube-proxy.ts'
import { lbIpamController } from './lb-ipam.ts'
import { Metallb } from './metallb.ts'
import { namespaceObjectsController } from './namespace-objects.ts'
import { NodeLifecycle } from './node-lifecycle.ts'
import { NodesController } from './nodes.ts'
import { PodNetwork } from './pod-network.ts'
import { workloadsController } from './workloads.ts'

/**
 * The control loops in the order one pass runs them: node facts and health, each namespace's account and CA, workloads, the CNI
 * and the agents' CiliumEndpoints, address allocators, endpoints, then the data plane (kube-proxy rules, the cluster
 * DNS's records) and the BGP speakers that announce what the allocators decided.
 */
export function controllers(): Controller[] {
  const agent = new CiliumAgent()
  return [
    new NodesController(),
    new NodeLifecycle(),
    namespaceObjectsController,
    workloadsController,
    agent,
    new PodNetwork(agent),
    ciliumEndpointsController,
    lbIpamController,
    new Metallb(),
    endpointsController,
    new KubeProxy(),
    new ClusterDns(),
    bgpV2Operator,
    new BgpControlPlane(),
  ]
}
