import { parse } from 'yaml'
import { LabError } from '../../lab-error.ts'

/** One node of a kind config with what its kubeadm patches tell the kubelet. */
export interface KindNode {
  role: 'control-plane' | 'worker'
  /** kubeletExtraArgs.node-ip: the address the node reports once it exists on one of its interfaces. */
  nodeIP?: string
  /** kubeletExtraArgs.node-labels. */
  labels: Record<string, string>
}

export interface KindConfig {
  name?: string
  podSubnet: string
  serviceSubnet: string
  disableDefaultCNI: boolean
  nodes: KindNode[]
}

const fail = (message: string) => new LabError('TWIN_KIND_CONFIG', message)

/** `rack=rack0,zone=a` -> { rack: 'rack0', zone: 'a' } */
function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const pair of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw fail(`${where}: node-labels: "${pair}" is not key=value`)
    labels[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return labels
}

/** Reads the kubelet arguments out of a node's kubeadmConfigPatches (each patch is a YAML document in a string). */
function kubeletArgs(patches: unknown, where: string): Record<string, string> {
  const args: Record<string, string> = {}
  if (patches === undefined) return args
  if (!Array.isArray(patches)) throw fail(`${where}.kubeadmConfigPatches: must be a list of strings`)
  patches.forEach((patch, i) => {
    let doc: any
    try {
      doc = parse(String(patch))
    } catch (error) {
      throw fail(`${where}.kubeadmConfigPatches[${i}]: ${(error as Error).message.split('\n')[0]}`)
    }
    Object.assign(args, doc?.nodeRegistration?.kubeletExtraArgs ?? {})
  })
  return args
}

/** Parses and checks a kind v1alpha4 Cluster config, with the defaults kind applies. */
export function parseKindConfig(text: string): KindConfig {
  let doc: any
  try {
    doc = parse(text) ?? {}
  } catch (error) {
    throw fail(`unable to decode config: ${(error as Error).message.split('\n')[0]}`)
  }
  if (doc.kind !== 'Cluster') throw fail(`unknown kind "${doc.kind ?? ''}" for cluster config (expected Cluster)`)
  if (doc.apiVersion !== 'kind.x-k8s.io/v1alpha4') throw fail(`unknown apiVersion: ${doc.apiVersion ?? ''}`)
  const networking = doc.networking ?? {}
  const rawNodes: any[] = doc.nodes ?? [{ role: 'control-plane' }]
  const nodes = rawNodes.map((node, i): KindNode => {
    const where = `nodes[${i}]`
    const role = node.role ?? 'control-plane'
    if (role !== 'control-plane' && role !== 'worker')
      throw fail(`${where}.role: unknown role "${role}" (control-plane or worker)`)
    const args = kubeletArgs(node.kubeadmConfigPatches, where)
    return { role, nodeIP: args['node-ip'], labels: parseLabels(args['node-labels'] ?? '', where) }
  })
  if (!nodes.some((n) => n.role === 'control-plane')) throw fail('must have at least one control-plane node')
  const podSubnet = networking.podSubnet ?? '10.244.0.0/16'
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(podSubnet)) throw fail(`networking.podSubnet: invalid CIDR "${podSubnet}"`)
  return {
    name: doc.name,
    podSubnet,
    serviceSubnet: networking.serviceSubnet ?? '10.96.0.0/16',
    disableDefaultCNI: networking.disableDefaultCNI === true,
    nodes,
  }
}

/** kind's node names: `<cluster>-control-plane`, `-control-plane2`, `-worker`, `-worker2`, ... */
export function nodeNames(cluster: string, nodes: KindNode[]): string[] {
  const seen = { 'control-plane': 0, worker: 0 }
  return nodes.map((node) => {
    const n = ++seen[node.role]
    return `${cluster}-${node.role}${n === 1 ? '' : n}`
  })
}
