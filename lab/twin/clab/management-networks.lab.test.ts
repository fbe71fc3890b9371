import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/**
 * The real lab's management networks on the twin, built with the seed's commands: routers' eth0 on containerlab's
 * 172.20.20.0/24 with `default via 172.20.20.1`, kind nodes' eth0 on 172.18.0.0/16, both gateways on the lab host,
 * MetalLB's layer 2 answer for 172.18.0.200 there before any BGP announcement, and none of it reachable from the
 * machine's own namespace.
 */
const { lab, sh } = useSeedLab()

const ROUTERS = ['clab-bgp-spine0', 'clab-bgp-spine1', 'clab-bgp-leaf0', 'clab-bgp-leaf1']
const NODES = ['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker2', 'clab-bgp-worker3']

type Link = {
  ifname: string
  address: string
  link_netnsid?: number
  addr_info: Array<{ family: string; local: string; prefixlen: number }>
}

/** A container's eth0: MAC and IPv4 address with its prefix. */
async function eth0(container: string): Promise<{ mac: string; inet: string }> {
  const [link] = JSON.parse(await sh(`docker exec ${container} ip -j addr show dev eth0`)) as Link[]
  const inet = link.addr_info.find((a) => a.family === 'inet')!
  return { mac: link.address, inet: `${inet.local}/${inet.prefixlen}` }
}

/** Exit code of a command on the lab host that is expected to fail. */
const exitOf = async (command: string) => (await lab().exec(command, { timeoutMs: 30_000 })).exitCode

describe('management networks as in the real lab', () => {
  it('puts every router on 172.20.20.0/24 with default via 172.20.20.1 dev eth0, as the seed shows', async () => {
    const addresses = await Promise.all(ROUTERS.map(async (router) => (await eth0(router)).inet))
    for (const address of addresses)
      expect(address).toMatch(/^172\.20\.20\.([2-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])\/24$/)
    expect(new Set(addresses).size).toBe(ROUTERS.length)
    const routes = await sh('docker exec clab-bgp-leaf0 ip route')
    expect(routes).toContain('default via 172.20.20.1 dev eth0 \n')
    const leaf0 = addresses[ROUTERS.indexOf('clab-bgp-leaf0')].split('/')[0]
    expect(routes).toContain(`172.20.20.0/24 dev eth0 proto kernel scope link src ${leaf0} \n`)
    const frr = await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show ip route'`)
    expect(frr).toMatch(/^K>\* 0\.0\.0\.0\/0 \[0\/0\] via 172\.20\.20\.1, eth0, /m)
    expect(frr).toMatch(/^C>\* 172\.20\.20\.0\/24 is directly connected, eth0, /m)
    const table = await sh('clab inspect -t cilium.bgp.clab.yml')
    expect(table).toMatch(new RegExp(`\\| clab-bgp-leaf0 +\\|.*\\| ${leaf0.replace(/\./g, '\\.')}/24 +\\|`))
    expect(table).toMatch(/\| clab-bgp-server1 +\|.*\| N\/A +\| N\/A +\|/)
  })

  it('puts every kind node on 172.18.0.0/16 with the addresses and MACs docker gives', async () => {
    const nodes = await Promise.all(NODES.map(eth0))
    expect(nodes.map((n) => n.inet).sort()).toEqual([
      '172.18.0.2/16',
      '172.18.0.3/16',
      '172.18.0.4/16',
      '172.18.0.5/16',
    ])
    for (const { mac, inet } of nodes) expect(mac).toBe(`02:42:ac:12:00:0${inet.split('/')[0].split('.')[3]}`)
    const routes = await sh('docker exec clab-bgp-control-plane ip r s')
    expect(routes).toMatch(/^172\.18\.0\.0\/16 dev eth0 proto kernel scope link src 172\.18\.0\.\d \n/m)
  })

  it('gives the lab host both gateways: it reaches a router and a node on their management addresses', async () => {
    const host = await sh('ip -4 -o addr show')
    expect(host).toMatch(/ inet 172\.18\.0\.1\/16 /)
    expect(host).toMatch(/ inet 172\.20\.20\.1\/24 /)
    const leaf0 = (await eth0('clab-bgp-leaf0')).inet.split('/')[0]
    expect(await sh(`ping -c 1 -W 2 ${leaf0}`)).toContain('1 received')
    const node = (await eth0('clab-bgp-worker2')).inet.split('/')[0]
    expect(await sh(`ping -c 1 -W 2 ${node}`)).toContain('1 received')
  })

  it('does not route between the networks: leaf0 cannot reach a kind node through the lab host', async () => {
    expect(await exitOf('docker exec clab-bgp-leaf0 ping -c 1 -W 1 172.18.0.2')).not.toBe(0)
  })

  it('MetalLB L2: the speaker node answers ARP for 172.18.0.200, so the lab host reaches the service before BGP', async () => {
    await sh(
      'kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.13.10/config/manifests/metallb-native.yaml',
    )
    await sh('kubectl apply -f metallb-l2-ip-config.yaml')
    expect((await sh(`kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)).trim()).toBe(
      '172.18.0.200',
    )
    // Retried: kube-proxy may send the request to a pod on the other rack, reachable once the leaves have the pod CIDRs.
    const answer = await until('an answer from 172.18.0.200 on the lab host', () =>
      sh('curl -s -m 3 http://172.18.0.200/'),
    )
    expect(answer).toMatch(/^PodName: cni-\w{5} \| PodIP: eth0 10\.98\.\d+\.\d+\/32/)
    // Exactly one node holds it, as a local route: the address is on no interface, as with MetalLB's speaker.
    const holders = []
    for (const node of NODES) {
      if ((await sh(`docker exec ${node} ip route show table local 172.18.0.200`)).trim()) holders.push(node)
      expect(await sh(`docker exec ${node} ip addr`)).not.toContain('172.18.0.200')
    }
    expect(holders).toHaveLength(1)
    const neighbour = await sh('ip neigh show 172.18.0.200')
    expect(neighbour).toContain(`lladdr ${(await eth0(holders[0])).mac} `)
    // The fabric has no route to it yet: leaf0's default route ends at the lab host, which forwards nothing.
    expect(await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show ip route 172.18.0.200'`)).toMatch(
      /Routing entry for 0\.0\.0\.0\/0/,
    )
    expect(await exitOf('docker exec clab-bgp-leaf0 curl -s -m 3 http://172.18.0.200/')).not.toBe(0)
  }, 90_000)

  it('keeps all of it off the machine: its own namespace has no link into the lab and no route there', async () => {
    const hostNs = (await sh('ip netns identify $$')).trim()
    const prefix = hostNs.replace(/-host$/, '-')
    expect(prefix).toMatch(/^tw[0-9a-f]{4}-$/)
    const ids = new Map<number, string>()
    for (const line of (await execa('ip', ['netns', 'list'])).stdout.split('\n')) {
      const match = /^(\S+) \(id: (\d+)\)/.exec(line)
      if (match) ids.set(Number(match[2]), match[1])
    }
    const links = JSON.parse((await execa('ip', ['-j', 'link', 'show'])).stdout) as Link[]
    const intoLab = links.filter(
      (link) => link.link_netnsid !== undefined && ids.get(link.link_netnsid)?.startsWith(prefix),
    )
    expect(intoLab.map((link) => link.ifname)).toEqual([])
    // And what the machine would route to these addresses (its own networks, or nowhere) is none of the lab's devices.
    const labDevices = new Set((JSON.parse(await sh('ip -j link show')) as Link[]).map((link) => link.ifname))
    labDevices.delete('lo')
    for (const address of ['172.18.0.200', '172.18.0.2', '172.20.20.2']) {
      const route = await execa('ip', ['-j', 'route', 'get', address], { reject: false })
      const devices = route.exitCode === 0 ? (JSON.parse(route.stdout) as Array<{ dev: string }>).map((r) => r.dev) : []
      expect(devices.filter((dev) => labDevices.has(dev))).toEqual([])
    }
  })
})
