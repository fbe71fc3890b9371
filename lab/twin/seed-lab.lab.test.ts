import { spawn as spawnPty } from 'node-pty'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labShell, SEED_LAB_BUILD, until as waitUntil } from '../../support/lab-helpers.ts'
import type { LabBackend } from '../backend.ts'
import { createTwinBackend } from './backend.ts'

/**
 * The seed's lab from nothing, through the twin backend and only the learner's commands: install.sh (kind), the
 * bridges, clab deploy, cilium.sh (helm), the test DaemonSet and the BGP peering policies. Asserted from FRR's JSON
 * and the kernel's routes, as the seed's transcripts show them.
 */
let lab: LabBackend

const sh = labShell(() => lab)
/** The fabric and pods converge within a minute on a loaded machine. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000) =>
  waitUntil(what, probe, { timeoutMs, intervalMs: 300 })

beforeAll(async () => {
  lab = createTwinBackend()
  await lab.up()
})

afterAll(async () => {
  await lab?.down()
})

describe('the seed lab through the twin backend', () => {
  it("builds the cluster, the fabric and Cilium with the seed's commands", async () => {
    for (const command of SEED_LAB_BUILD) await sh(command)
    const nodes = await sh('kubectl get nodes -o wide --no-headers')
    expect(
      nodes
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/\s+/)[5]),
    ).toEqual(['10.1.5.10', '10.1.5.11', '10.1.8.10', '10.1.8.11'])
  })

  it('leaf0 peers with its two rack nodes and both spines', async () => {
    type Summary = { ipv4Unicast: { peers: Record<string, { state: string }> } }
    await until('all leaf0 sessions Established', async () => {
      const summary = JSON.parse(await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)) as Summary
      const states = Object.values(summary.ipv4Unicast.peers).map((peer) => peer.state)
      return states.length === 4 && states.every((state) => state === 'Established') ? true : undefined
    })
  })

  it("leaf0 learns every node's pod CIDR: its rack directly, the other rack over both spines", async () => {
    const podCidrs = (await sh(`kubectl get nodes -o jsonpath='{.items[*].spec.podCIDR}'`)).split(' ')
    expect(podCidrs).toHaveLength(4)
    type Route = { dst: string; gateway?: string; nexthops?: Array<{ gateway: string }> }
    const routes = await until('pod CIDR routes on leaf0', async () => {
      const table = JSON.parse(await sh('docker exec clab-bgp-leaf0 ip -j route show proto bgp')) as Route[]
      // Converged: every pod CIDR, and the other rack's over both spines (the second spine's path may come later).
      const ecmp = (cidr: string) => (table.find((route) => route.dst === cidr)?.nexthops?.length ?? 0) === 2
      return podCidrs.every((cidr) => table.some((route) => route.dst === cidr)) && podCidrs.slice(2).every(ecmp)
        ? table
        : undefined
    })
    const byDst = new Map(routes.map((route) => [route.dst, route]))
    // rack0 (10.1.5.x) nodes are leaf0's iBGP clients: one next hop, the node itself.
    expect(byDst.get(podCidrs[0])?.gateway).toBe('10.1.5.10')
    expect(byDst.get(podCidrs[1])?.gateway).toBe('10.1.5.11')
    // rack1 pod CIDRs come over both spines: two next hops in the kernel.
    for (const cidr of podCidrs.slice(2)) {
      expect(
        byDst
          .get(cidr)
          ?.nexthops?.map((hop) => hop.gateway)
          .sort(),
      ).toEqual(['10.1.10.2', '10.1.12.2'])
    }
  })

  it('a pod in rack0 reaches a pod in rack1 across the fabric', async () => {
    const pods = (
      await sh(
        `kubectl get pods -l app=cni -o jsonpath='{range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}'`,
      )
    )
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
    const from = pods.find((pod) => pod[2] === 'clab-bgp-control-plane')!
    const to = pods.find((pod) => pod[2] === 'clab-bgp-worker2')!
    const ping = await until('a cross-rack ping', async () => {
      const out = await lab.exec(`kubectl exec ${from[0]} -- ping -c 1 -W 2 ${to[1]}`, { timeoutMs: 10_000 })
      return out.stdout.includes('1 received') ? out.stdout : undefined
    })
    expect(ping).toContain(`from ${to[1]}`)
  })

  it("gives a router shell in the learner's terminal with VyOS op-mode commands", async () => {
    const spec = lab.shell()
    const term = spawnPty(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, cols: 160, rows: 40 })
    let screen = ''
    term.onData((data) => (screen += data))
    const expectScreen = (text: string) =>
      until(`"${text}" on the terminal`, async () => (screen.includes(text) ? true : undefined), 15_000)
    try {
      await expectScreen('root@kind:~/lab# ')
      term.write('docker exec -it clab-bgp-leaf0 bash\r')
      await expectScreen('root@leaf0:/# ')
      term.write('show ip bgp summary\r')
      await expectScreen('10.1.12.2')
      term.write('exit\r')
      await until(
        'the lab host prompt again',
        async () => (screen.split('root@kind:~/lab# ').length > 2 ? true : undefined),
        15_000,
      )
    } finally {
      term.kill()
    }
    expect(screen).toMatch(/10\.1\.10\.2\s+4\s+500/)
  })
})
