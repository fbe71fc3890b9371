import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labShell, SEED_LAB_BUILD, until as waitUntil } from '../../../support/lab-helpers.ts'
import type { LabBackend } from '../../backend.ts'
import { createTwinBackend } from '../backend.ts'

/**
 * What `docker stop|start` of a router and `helm upgrade` of Cilium do to the fabric, seen from the routers' FRR:
 * the seed lab built with the learner's commands, then leaf0 stopped and started, then Cilium's BGP control plane
 * switched off by an upgrade.
 */
let lab: LabBackend

const sh = labShell(() => lab)
const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
  waitUntil(what, probe, { timeoutMs: 60_000, intervalMs: 300 })

type Summary = { ipv4Unicast?: { peers: Record<string, { state: string }> } }

/** The state of `peer` in `router`'s BGP summary (FRR's JSON), or 'absent'. */
async function peerState(router: string, peer: string): Promise<string> {
  const summary = JSON.parse(await sh(`docker exec ${router} vtysh -c 'show bgp summary json'`)) as Summary
  return summary.ipv4Unicast?.peers[peer]?.state ?? 'absent'
}

/** leaf0's address towards each spine, as the spines see it. */
const LEAF0_ON = { 'clab-bgp-spine0': '10.1.10.1', 'clab-bgp-spine1': '10.1.12.1' }

async function leaf0Sessions(): Promise<string[]> {
  return Promise.all(Object.entries(LEAF0_ON).map(([spine, peer]) => peerState(spine, peer)))
}

/** Pod CIDR routes (10.98.x.0/24) leaf0's kernel has from BGP. */
async function podRoutes(): Promise<string[]> {
  const routes = JSON.parse(await sh('docker exec clab-bgp-leaf0 ip -j route show proto bgp')) as Array<{ dst: string }>
  return routes
    .map((route) => route.dst)
    .filter((dst) => dst.startsWith('10.98.'))
    .sort()
}

beforeAll(async () => {
  lab = createTwinBackend()
  await lab.up()
  for (const command of SEED_LAB_BUILD) await sh(command)
  await until('leaf0 Established with both spines', async () =>
    (await leaf0Sessions()).every((s) => s === 'Established') ? true : undefined,
  )
}, 240_000)

afterAll(async () => {
  await lab?.down()
})

describe('docker stop and start of a router', () => {
  it("stop ends leaf0's FRR: both spines lose their session to it, and docker ps -a shows it exited", async () => {
    expect(await sh('docker stop clab-bgp-leaf0')).toBe('clab-bgp-leaf0\n')
    await until('the spines to lose leaf0', async () =>
      (await leaf0Sessions()).every((s) => s !== 'Established') ? true : undefined,
    )
    expect(await sh(`docker ps --format '{{.Names}}'`)).not.toContain('clab-bgp-leaf0')
    expect(await sh(`docker ps -a --format '{{.Names}} {{.Status}}'`)).toMatch(/^clab-bgp-leaf0 Exited \(0\) .+ ago$/m)
    expect((await lab.exec('docker exec clab-bgp-leaf0 vtysh -c "show bgp summary"')).stderr).toMatch(
      /^Error response from daemon: Container [0-9a-f]{64} is not running/,
    )
    // containerlab reads docker's state: exited, and no management address while stopped.
    expect(await sh('clab inspect -t cilium.bgp.clab.yml')).toMatch(
      /^\| \d \| clab-bgp-leaf0 +\| [0-9a-f]{12} \| vyos\/vyos:1\.2\.8 +\| linux \| exited +\| N\/A +\| N\/A +\|$/m,
    )
  })

  it("start boots leaf0 from its saved config: the spines' sessions come back, and the pod CIDRs with them", async () => {
    expect(await sh('docker start clab-bgp-leaf0')).toBe('clab-bgp-leaf0\n')
    await until('the spines to have leaf0 again', async () =>
      (await leaf0Sessions()).every((s) => s === 'Established') ? true : undefined,
    )
    const podCidrs = (await sh(`kubectl get nodes -o jsonpath='{.items[*].spec.podCIDR}'`)).split(' ').sort()
    await until('every pod CIDR on leaf0 again', async () =>
      JSON.stringify(await podRoutes()) === JSON.stringify(podCidrs) ? true : undefined,
    )
    expect(await sh(`docker inspect -f '{{.State.Status}}' clab-bgp-leaf0`)).toBe('running\n')
  })
})

describe('containerlab graph', () => {
  it("serves the topology page on the lab host's loopback until interrupted", async () => {
    // As Ctrl-C in a terminal: SIGINT to the shim's process group (setsid makes it one). A background job of a
    // script starts with SIGINT ignored, so perl restores the default before it execs the shim.
    const page = await sh(
      'setsid perl -e \'$SIG{INT} = "DEFAULT"; exec @ARGV\' clab graph -t cilium.bgp.clab.yml 2>/dev/null & pid=$!; ' +
        'for i in $(seq 100); do curl -sf http://127.0.0.1:50080/ && break; sleep 0.1; done; kill -INT -- -$pid; ' +
        // Still serving after the interrupt: say so, and end it so that nothing is left behind.
        'for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done; kill -0 $pid 2>/dev/null && { kill -KILL -- -$pid; echo STILL-SERVING; }; true',
    )
    expect(page).not.toContain('STILL-SERVING')
    expect(page).toContain('<h1>containerlab topology: bgp</h1>')
    expect(page).toMatch(
      /<tr><td>spine0<\/td><td>linux<\/td><td>vyos\/vyos:1\.2\.8<\/td><td>172\.20\.20\.\d+<\/td><\/tr>/,
    )
    expect((await lab.exec('curl -sf http://127.0.0.1:50080/')).exitCode).not.toBe(0)
  })
})

describe('helm upgrade of Cilium', () => {
  it('--reuse-values --set bgpControlPlane.enabled=false withdraws the pod CIDRs from the leaves', async () => {
    await until('pod CIDRs on leaf0', async () => ((await podRoutes()).length === 4 ? true : undefined))
    const upgrade = await sh(
      'helm upgrade cilium cilium/cilium --version 1.13.0-rc5 -n kube-system --reuse-values --set bgpControlPlane.enabled=false',
    )
    expect(upgrade).toMatch(/^Release "cilium" has been upgraded\. Happy Helming!\n[\s\S]*REVISION: 2\n/)
    await until('no pod CIDR on leaf0', async () => ((await podRoutes()).length === 0 ? true : undefined))
    const leaf1 = JSON.parse(await sh('docker exec clab-bgp-leaf1 ip -j route show proto bgp')) as Array<{
      dst: string
    }>
    expect(leaf1.filter((route) => route.dst.startsWith('10.98.'))).toEqual([])
    expect(await sh('helm get values cilium -n kube-system')).toContain('bgpControlPlane:\n  enabled: false\n')
  })
})
