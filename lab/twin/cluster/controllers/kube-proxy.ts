import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Cluster, Controller } from '../cluster.ts'
import type { KObject, ObjectStore } from '../store.ts'

const TABLE = 'twin_kube_proxy'

/** A service's ready endpoint addresses, from its Endpoints object. */
const endpoints = (store: ObjectStore, svc: KObject): string[] =>
  (store.get('Endpoints', svc.metadata.namespace, svc.metadata.name)?.subsets ?? []).flatMap(
    (s: { addresses?: { ip: string }[] }) => (s.addresses ?? []).map((a) => a.ip),
  )

/**
 * The nftables ruleset kube-proxy's job comes down to on every node: each service address and port (ClusterIP,
 * LoadBalancer ingress IPs, NodePort on the node's own addresses) is DNATed to a random ready endpoint (numgen), and
 * connections DNATed to a pod behind another node are masqueraded so the reply comes back through this node. A pod
 * that reaches its own service and is picked as the backend (hairpin) is masqueraded too, as kube-proxy does
 * (KUBE-MARK-MASQ for a source equal to the endpoint): a packet from itself to itself would be dropped as a martian.
 */
export function kubeProxyRules(store: ObjectStore): string {
  const rules: string[] = []
  const backends = new Set<string>()
  for (const svc of store.list('Service')) {
    const pods = endpoints(store, svc)
    if (pods.length === 0) continue
    for (const ip of pods) backends.add(ip)
    const vips = [
      svc.spec.clusterIP,
      ...(svc.spec.externalIPs ?? []),
      ...(svc.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip),
    ].filter((ip) => ip && ip !== 'None')
    const map = `numgen random mod ${pods.length} map { ${pods.map((ip, i) => `${i} : ${ip}`).join(', ')} }`
    for (const port of svc.spec.ports ?? []) {
      const proto = (port.protocol ?? 'TCP').toLowerCase()
      const target = typeof port.targetPort === 'number' && port.targetPort !== port.port ? ` : ${port.targetPort}` : ''
      const to = typeof port.targetPort === 'number' ? port.targetPort : port.port
      for (const vip of vips) rules.push(`ip daddr ${vip} ${proto} dport ${port.port} dnat to ${map}${target}`)
      if (port.nodePort)
        rules.push(
          `fib daddr type local ${proto} dport ${port.nodePort} dnat to ${map}${to !== port.nodePort ? ` : ${to}` : ''}`,
        )
    }
  }
  const chain = (name: string, hook: string, priority: string, body: string[]) =>
    `  chain ${name} {\n    type nat hook ${hook} priority ${priority}; policy accept;\n${body.map((r) => `    ${r}\n`).join('')}  }\n`
  return (
    `add table ip ${TABLE}\ndelete table ip ${TABLE}\ntable ip ${TABLE} {\n` +
    chain('prerouting', 'prerouting', 'dstnat', rules) +
    chain('output', 'output', '-100', rules) +
    chain('postrouting', 'postrouting', 'srcnat', [
      'ct status dnat oifname != "lxc*" masquerade',
      ...[...backends].sort().map((ip) => `ct status dnat ip saddr ${ip} ip daddr ${ip} masquerade`),
    ]) +
    '}\n'
  )
}

/** Loads the ruleset into every node namespace whenever it changes (one atomic `nft -f` per node). */
export class KubeProxy implements Controller {
  readonly name = 'kube-proxy'
  private readonly applied = new Map<string, string>()

  async reconcile(cluster: Cluster): Promise<void> {
    const { store, lab } = cluster
    if (!store.cluster) {
      this.applied.clear()
      return
    }
    const rules = kubeProxyRules(store)
    const dir = join(lab.runDir, 'kube-proxy')
    await mkdir(dir, { recursive: true })
    for (const node of store.list('Node')) {
      const name = node.metadata.name
      if (this.applied.get(name) === rules) continue
      const file = join(dir, `${name}.nft`)
      await writeFile(file, rules)
      const result = await lab.run(['nft', '-f', file], { ns: lab.ns(name) })
      if (result.exitCode !== 0) throw new Error(`nft -f ${file} in ${name}: ${result.stderr.trim()}`)
      this.applied.set(name, rules)
    }
  }
}
