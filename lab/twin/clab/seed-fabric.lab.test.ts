import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../../support/lab-helpers.ts'
import type { ExecResult } from '../../backend.ts'
import { runBash } from '../../run-bash.ts'
import { addKindNode } from '../cluster/fake-lab.ts'
import { labHostEnv, labHostPaths } from '../daemon/lab-host.ts'
import { type OpenLab, openLab } from '../daemon/open-lab.ts'
import { listNamespaces } from '../net/netns.ts'

/**
 * The seed's own commands on the lab host, in order: bridges with brctl/ip link, then `clab deploy` of the seed
 * topology, checked against what FRR and the kernel say. The kind nodes are made directly as namespaces (what
 * `kind create cluster` gives the fabric: one namespace per node, in lab.containers).
 */
const KIND_NODES = ['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker2', 'clab-bgp-worker3']

let opened: OpenLab
let sh: (command: string) => Promise<ExecResult>

async function json<T>(command: string): Promise<T> {
  const result = await sh(command)
  expect(result.stderr).toBe('')
  return JSON.parse(result.stdout) as T
}

/** This lab's namespaces (other labs may come and go on the machine meanwhile). */
async function labNamespaces(): Promise<string[]> {
  return (await listNamespaces()).filter((name) => name.startsWith(`${opened.lab.id}-`))
}

type BgpSummary = { ipv4Unicast: { routerId: string; peers: Record<string, { state: string }> } }

beforeAll(async () => {
  opened = await openLab()
  const { lab } = opened
  for (const name of KIND_NODES) {
    await lab.addNamespace(lab.ns(name), { forwarding: true })
    addKindNode(lab, name)
  }
  const env = labHostEnv(labHostPaths(lab.runDir), lab.workspace)
  sh = (command) =>
    runBash(command, { prefix: ['ip', 'netns', 'exec', opened.hostNs], env, cwd: lab.workspace, timeoutMs: 60_000 })
})

afterAll(async () => {
  if (!opened) return
  const { id, runDir } = opened.lab
  await opened.close()
  expect((await listNamespaces()).filter((name) => name.startsWith(`${id}-`))).toEqual([])
  expect(existsSync(runDir)).toBe(false)
})

describe('the seed fabric on the twin', () => {
  it('refuses to deploy before the learner makes the bridges, creating nothing', async () => {
    const before = await labNamespaces()
    const deploy = await sh('clab deploy -t cilium.bgp.clab.yml')
    expect(deploy.exitCode).toBe(1)
    expect(deploy.stderr).toContain('Error: bridge "br-leaf0" referenced in topology but does not exist\n')
    expect(await labNamespaces()).toEqual(before)
  })

  it('deploys the seed topology after the learner makes the bridges', async () => {
    const bridges = await sh(
      'brctl addbr br-leaf0 && ip link set br-leaf0 up && brctl addbr br-leaf1 && ifconfig br-leaf1 up 2>/dev/null || ip link set br-leaf1 up',
    )
    expect(bridges.exitCode).toBe(0)
    const deploy = await sh('clab deploy -t cilium.bgp.clab.yml')
    expect(deploy.stderr).toContain('INFO[0000] Containerlab v0.54.2 started')
    expect(deploy.stderr).toContain('Created link: leaf0:eth1 <--> spine0:eth1')
    expect(deploy.stderr).toContain('Executed command "ip route replace default via 10.1.8.1" on the node "server3"')
    expect(deploy.exitCode).toBe(0)
    const rows = deploy.stdout.split('\n').filter((line) => /^\| \d+ \|/.test(line))
    expect(rows.map((row) => row.split('|')[2].trim())).toEqual([
      'clab-bgp-leaf0',
      'clab-bgp-leaf1',
      'clab-bgp-server1',
      'clab-bgp-server2',
      'clab-bgp-server3',
      'clab-bgp-server4',
      'clab-bgp-spine0',
      'clab-bgp-spine1',
    ])
  })

  it('brings up leaf0 to spine sessions (FRR JSON)', async () => {
    const summary = await until('leaf0 sessions to both spines', async () => {
      const s = await json<BgpSummary>(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)
      const peers = s.ipv4Unicast.peers
      return peers['10.1.10.2']?.state === 'Established' && peers['10.1.12.2']?.state === 'Established' ? s : undefined
    })
    expect(summary.ipv4Unicast.routerId).toBe('10.1.5.1')
  })

  it('teaches leaf0 the other rack 10.1.8.0/24 over both spines, with ECMP in the kernel', async () => {
    type Route = { nexthops?: Array<{ gateway: string; dev: string }> }
    const route = await until('two kernel next hops for 10.1.8.0/24 on leaf0', async () => {
      const routes = await json<Route[]>('docker exec clab-bgp-leaf0 ip -j route show 10.1.8.0/24')
      return routes[0]?.nexthops?.length === 2 ? routes[0] : undefined
    })
    expect(route.nexthops!.map((hop) => `${hop.gateway} ${hop.dev}`).sort()).toEqual([
      '10.1.10.2 eth1',
      '10.1.12.2 eth2',
    ])
    const frr = await json<Record<string, Array<{ protocol: string; nexthops: Array<{ ip: string }> }>>>(
      `docker exec clab-bgp-leaf0 vtysh -c 'show ip route 10.1.8.0/24 json'`,
    )
    expect(frr['10.1.8.0/24'][0].protocol).toBe('bgp')
    expect(frr['10.1.8.0/24'][0].nexthops.map((hop) => hop.ip).sort()).toEqual(['10.1.10.2', '10.1.12.2'])
  })

  it('carries traffic from a rack0 node to a rack1 node across the fabric', async () => {
    const ping = await sh('docker exec clab-bgp-control-plane ping -c 1 -W 2 10.1.8.10')
    expect(ping.stdout).toContain('1 received')
    const routes = await sh('docker exec clab-bgp-control-plane ip r s')
    expect(routes.stdout).toContain('default via 10.1.5.1 dev net0')
  })

  it('answers VyOS op-mode commands inside a router', async () => {
    // The best path to rack0 is leaf0's own (10.1.10.1); a longer one through the other spine may be listed first,
    // and FRR prints the prefix on the first row only.
    const bgp = await sh('docker exec clab-bgp-spine0 show ip bgp')
    expect(bgp.stdout).toMatch(/^\*> +(10\.1\.5\.0\/24 +)?10\.1\.10\.1 +0 +0 65005 i$/m)
    const interfaces = await sh('docker exec clab-bgp-spine0 show interfaces')
    expect(interfaces.stdout).toMatch(/^eth1\s+10\.1\.10\.2\/24\s+u\/u/m)
  })

  it('lists the lab containers and refuses unknown ones like docker', async () => {
    const names = await sh('docker ps -a --format "table {{.Names}}" | grep clab-bgp- | sort')
    expect(names.stdout.trim().split('\n')).toEqual(
      [
        ...KIND_NODES,
        'clab-bgp-leaf0',
        'clab-bgp-leaf1',
        'clab-bgp-server1',
        'clab-bgp-server2',
        'clab-bgp-server3',
        'clab-bgp-server4',
        'clab-bgp-spine0',
        'clab-bgp-spine1',
      ].sort(),
    )
    const inspect = await sh(
      `docker inspect -f '{{.State.Running}} {{.Config.Hostname}} {{.Config.Image}}' clab-bgp-leaf0`,
    )
    expect(inspect.stdout).toBe('true leaf0 vyos/vyos:1.2.8\n')
    const hostname = await sh('docker exec clab-bgp-spine1 hostname')
    expect(hostname.stdout).toBe('spine1\n')
    const missing = await sh('docker exec clab-bgp-leaf7 ip r')
    expect(missing).toMatchObject({ exitCode: 1, stderr: 'Error: No such container: clab-bgp-leaf7\n' })
    const noTty = await sh('docker exec -it clab-bgp-leaf0 bash')
    expect(noTty).toMatchObject({ exitCode: 1, stderr: 'the input device is not a TTY\n' })
  })

  it('refuses an unknown kind and a broken VyOS config without touching the running lab', async () => {
    const before = await labNamespaces()
    writeFileSync(
      join(opened.lab.workspace, 'bad-kind.clab.yml'),
      'name: bad\ntopology:\n  nodes:\n    r1:\n      kind: srl\n',
    )
    const kind = await sh('clab deploy -t bad-kind.clab.yml')
    expect(kind.exitCode).toBe(1)
    expect(kind.stderr).toContain('Error: constructing node "r1": kind "srl" is not supported')
    writeFileSync(
      join(opened.lab.workspace, 'startup-conf', 'broken.cfg'),
      'protocols {\n    bgp 65099 {\n        neighbor 10.9.9.9 {\n        }\n',
    )
    writeFileSync(
      join(opened.lab.workspace, 'broken.clab.yml'),
      'name: broken\ntopology:\n  nodes:\n    r9:\n      kind: linux\n      image: vyos/vyos:1.2.8\n      binds:\n' +
        '        - ./startup-conf/broken.cfg:/opt/vyatta/etc/config/config.boot\n',
    )
    const config = await sh('clab deploy -t broken.clab.yml')
    expect(config.exitCode).toBe(1)
    expect(config.stderr).toContain(
      `Error: ${join(opened.lab.workspace, 'startup-conf', 'broken.cfg')}:2: block "bgp 65099" is never closed`,
    )
    expect(await labNamespaces()).toEqual(before)
    const summary = await json<BgpSummary>(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)
    expect(summary.ipv4Unicast.peers['10.1.10.2'].state).toBe('Established')
  })

  it('applies an edited VyOS config on redeploy', async () => {
    const file = join(opened.lab.workspace, 'startup-conf', 'leaf0-boot.cfg')
    writeFileSync(file, readFileSync(file, 'utf8').replace('router-id 10.1.5.1', 'router-id 10.1.5.99'))
    const again = await sh('clab deploy -t cilium.bgp.clab.yml')
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toContain('already exists')
    const redeploy = await sh('clab deploy -t cilium.bgp.clab.yml --reconfigure')
    expect(redeploy.exitCode).toBe(0)
    const summary = await json<BgpSummary>(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)
    expect(summary.ipv4Unicast.routerId).toBe('10.1.5.99')
  })

  it('destroys the lab: routers, their namespaces and the lab directory go, kind nodes stay', async () => {
    const destroy = await sh('clab destroy -t cilium.bgp.clab.yml --cleanup')
    expect(destroy.exitCode).toBe(0)
    expect(destroy.stderr).toContain('Removed container: clab-bgp-leaf0')
    const names = await sh('docker ps --format "{{.Names}}" | sort')
    expect(names.stdout.trim().split('\n')).toEqual([...KIND_NODES].sort())
    const namespaces = await labNamespaces()
    expect(namespaces).not.toContain(opened.lab.ns('clab-bgp-leaf0'))
    expect(existsSync(join(opened.lab.workspace, 'clab-bgp'))).toBe(false)
    const node = await sh('docker exec clab-bgp-control-plane ip -o link show net0')
    expect(node.exitCode).not.toBe(0)
  })
})
