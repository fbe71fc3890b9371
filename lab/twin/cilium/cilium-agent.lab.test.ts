import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/**
 * The agent CLI in the agent pods of the seed lab, through the twin backend and the learner's commands: `cilium bgp
 * peers` shows the leaf the node's GoBGP speaker peers with, deleting the agent pod drops that session on the leaf
 * and the new pod's speaker brings it back, `cilium service list` has the LB-IPAM address, `cilium node list` and
 * `cilium endpoint list` show the lab's nodes and the node's pods (`kubectl get cep -A` with the same IDs), and
 * `cilium version` the agent's release.
 */

const { lab, sh } = useSeedLab()
const NODE = 'clab-bgp-control-plane'

/** The cilium agent pod of `node`. */
const agentOf = async (node = NODE) => {
  const rows = await sh(
    `kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}'`,
  )
  return rows
    .trim()
    .split('\n')
    .map((row) => row.split(' '))
    .find(([, name]) => name === node)?.[0]
}

type Peer = { state: string; connectionsEstablished: number; connectionsDropped: number }
/** leaf0's view of its session with NODE (10.1.5.10), from FRR. */
const leafPeer = async () => {
  const summary = JSON.parse(await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)) as {
    ipv4Unicast: { peers: Record<string, Peer> }
  }
  return summary.ipv4Unicast.peers['10.1.5.10']
}

describe('the Cilium agent CLI in the twin lab', () => {
  it('cilium bgp peers in a rack-0 agent shows leaf0 established once the policy is applied', async () => {
    const pod = await agentOf()
    const table = await until(
      'leaf0 established in cilium bgp peers',
      async () => {
        const out = await sh(`kubectl -n kube-system exec ${pod} -- cilium bgp peers`)
        return /^65005\s+65005\s+10\.1\.5\.1\s+established\s+\d+s\s+ipv4\/unicast\s+\d+\s+1\s*$/m.test(out)
          ? out
          : undefined
      },
      { timeoutMs: 60_000 },
    )
    expect(table.split('\n')[0]).toBe(
      'Local AS   Peer AS   Peer Address   Session       Uptime   Family         Received   Advertised',
    )
    // The container named as the real pod names it, and a shell in the pod, find the same CLI.
    expect(await sh(`kubectl -n kube-system exec ${pod} -c cilium-agent -- sh -c 'cilium status --brief'`)).toBe('OK\n')
    const status = await sh(`kubectl -n kube-system exec ${pod} -- cilium status`)
    const podCidr = (await sh(`kubectl get node ${NODE} -o jsonpath='{.spec.podCIDR}'`)).trim()
    expect(status).toMatch(new RegExp(`^IPAM: +IPv4: \\d+/254 allocated from ${podCidr.replace(/\./g, '\\.')}, $`, 'm'))
    expect(status).toMatch(/^Cilium: +Ok {3}1\.13\.0-rc5 /m)
    // As kubectl does, exec takes a workload and runs in its first pod: an agent, on one of the lab's nodes.
    expect(await sh(`kubectl -n kube-system exec ds/cilium -- cilium status --brief`)).toBe('OK\n')
    const nodes = (await sh(`kubectl get nodes -o jsonpath='{.items[*].metadata.name}'`)).trim().split(' ')
    expect(nodes).toContain((await sh(`kubectl -n kube-system exec daemonset/cilium -- hostname`)).trim())
    const missing = await lab().exec('kubectl exec ds/cilium -- true')
    expect([missing.exitCode, missing.stderr]).toEqual([
      1,
      'Error from server (NotFound): daemonsets.apps "cilium" not found\n',
    ])
  }, 90_000)

  it("deleting the agent pod drops the node's session on leaf0, and the new pod's speaker brings it back", async () => {
    const pod = await agentOf()
    const before = await until('leaf0 established with the node', async () => {
      const peer = await leafPeer()
      return peer?.state === 'Established' ? peer : undefined
    })
    await sh(`kubectl -n kube-system delete pod ${pod}`)
    const after = await until(
      'leaf0 established again after a drop',
      async () => {
        const peer = await leafPeer()
        return peer?.state === 'Established' && peer.connectionsEstablished > before.connectionsEstablished
          ? peer
          : undefined
      },
      { timeoutMs: 60_000 },
    )
    expect(after.connectionsDropped).toBeGreaterThan(before.connectionsDropped)
    const replaced = await agentOf()
    expect(replaced).toBeDefined()
    expect(replaced).not.toBe(pod)
    expect(await sh(`kubectl -n kube-system exec ${replaced} -- cilium bgp peers`)).toMatch(
      /^65005\s+65005\s+10\.1\.5\.1\s+established\s/m,
    )
    expect(await sh(`kubectl -n kube-system logs ${replaced}`)).toContain(
      'Registering BGP servers for policy with local ASN 65005',
    )
  }, 90_000)

  it('cilium service list shows the LoadBalancer address LB-IPAM gave, with the cni pods behind it', async () => {
    await sh('kubectl apply -f lb-ipam.yaml')
    const ip = (await sh(`kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)).trim()
    expect(ip).toMatch(/^30\.0\.10\.\d+$/)
    const list = await sh(`kubectl -n kube-system exec ${await agentOf()} -- cilium service list`)
    expect(list.split('\n')[0]).toMatch(/^ID {3}Frontend +Service Type {3}Backend +$/)
    const pods = (await sh(`kubectl get pods -l app=cni -o jsonpath='{.items[*].status.podIP}'`)).trim().split(' ')
    const row = new RegExp(
      `^\\d+\\s+${ip.replace(/\./g, '\\.')}:80\\s+LoadBalancer\\s+1 => 10\\.98\\.\\d+\\.\\d+:80 \\(active\\)`,
      'm',
    )
    expect(list).toMatch(row)
    for (const podIp of pods) expect(list).toContain(` => ${podIp}:80 (active)`)
  }, 60_000)

  it('cilium node list names every node <cluster>/<node> (the chart sets cluster.name), with its InternalIP and pod CIDR', async () => {
    const list = await sh(`kubectl -n kube-system exec ${await agentOf()} -- cilium node list`)
    const cluster = (await sh(`kubectl -n kube-system get cm cilium-config -o jsonpath='{.data.cluster-name}'`)).trim()
    expect(cluster).toBe('clab-bgp-cplane')
    expect(list.split('\n')[0]).toMatch(/^Name +IPv4 Address {3}Endpoint CIDR {3}IPv6 Address {3}Endpoint CIDR$/)
    const nodes = await sh(
      `kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.status.addresses[?(@.type=="InternalIP")].address} {.spec.podCIDR}{"\\n"}{end}'`,
    )
    const rows = nodes.trim().split('\n')
    expect(rows).toHaveLength(4)
    for (const [name, ip, cidr] of rows.map((row) => row.split(' ')))
      expect(list).toMatch(
        new RegExp(`^${cluster}/${name} +${ip.replace(/\./g, '\\.')} +${cidr.replace(/\./g, '\\.')} +$`, 'm'),
      )
    expect(list.trim().split('\n')).toHaveLength(5)
  })

  it("cilium endpoint list shows the node's host endpoint and its cni pod with the pod's address", async () => {
    const list = await sh(`kubectl -n kube-system exec ${await agentOf()} -- cilium endpoint list`)
    expect(list.split('\n')[0]).toMatch(/^ENDPOINT {3}POLICY \(ingress\) {3}POLICY \(egress\) {3}IDENTITY {3}LABELS/)
    expect(list).toMatch(/^\d+ +Disabled +Disabled +1 +k8s:node-role\.kubernetes\.io\/control-plane +ready +$/m)
    expect(list).toMatch(/^ +reserved:host +$/m)
    expect(list).toMatch(/^ +k8s:io\.cilium\.k8s\.policy\.cluster=clab-bgp-cplane +$/m)
    const pods = await sh(
      `kubectl get pods -l app=cni -o jsonpath='{range .items[*]}{.spec.nodeName} {.status.podIP}{"\\n"}{end}'`,
    )
    const [local, ...others] = pods
      .trim()
      .split('\n')
      .map((row) => row.split(' '))
      .sort(([a], [b]) => Number(b === NODE) - Number(a === NODE))
    expect(local[0]).toBe(NODE)
    expect(list).toMatch(
      new RegExp(`^\\d+ +Disabled +Disabled +\\d+ +k8s:app=cni +${local[1].replace(/\./g, '\\.')} +ready +$`, 'm'),
    )
    for (const [, ip] of others) expect(list).not.toContain(ip)
  })

  it("kubectl get cep -A lists the cni pods with the endpoint ID and identity their node's agent lists", async () => {
    const ceps = await sh('kubectl get cep -A')
    expect(ceps.split('\n')[0]).toMatch(
      /^NAMESPACE +NAME +ENDPOINT ID +IDENTITY ID +INGRESS ENFORCEMENT +EGRESS ENFORCEMENT +VISIBILITY POLICY +ENDPOINT STATE +IPV4 +IPV6$/,
    )
    const pods = await sh(
      `kubectl get pods -l app=cni -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP}{"\\n"}{end}'`,
    )
    const rows = pods
      .trim()
      .split('\n')
      .map((row) => row.split(' '))
    expect(rows).toHaveLength(4)
    for (const [name, node, ip] of rows) {
      const list = await sh(`kubectl -n kube-system exec ${await agentOf(node)} -- cilium endpoint list`)
      const [id, , , identity] = (list.split('\n').find((line) => line.includes(` ${ip} `)) ?? '').trim().split(/ +/)
      const row = `default +${name} +${id} +${identity} +(<status disabled> +){3}ready +${ip.replace(/\./g, '\\.')}`
      expect(ceps).toMatch(new RegExp(`^${row} *$`, 'm'))
    }
  })

  it('cilium version prints the agent image release as client and daemon', async () => {
    expect(await sh(`kubectl -n kube-system exec ${await agentOf()} -- cilium version`)).toBe(
      'Client: 1.13.0-rc5\nDaemon: 1.13.0-rc5\n',
    )
  })
})
