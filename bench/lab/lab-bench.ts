/**
 * bench/lab: the twin lab's cost, measured through the backend with the learner's own commands.
 *
 *  - converged: from `up()` of nothing to every router's kernel holding every node's pod CIDR (so all BGP sessions
 *    are Established and the routes installed), median of N runs; also the fabric alone (clab deploy to leaf0
 *    learning the other rack over both spines) and the time after the last command (the policy apply).
 *  - memory: RSS and PSS of every process of the converged lab (daemons in its namespaces plus the twin daemon), with
 *    the daemon bundled (the default) and, in one more converged run, through tsx.
 *  - change: `kubectl delete` / `kubectl apply` of the rack1 peering policy to the rack1 pod CIDRs leaving / coming
 *    back on spine0's kernel, the apply right after the withdrawal and again after a pause (--pause ms) that lets the
 *    leaves leave the Idle state FRR holds a peer in after its Cease; and a service's /32 leaving / coming back when a
 *    label takes it out of the policy's serviceSelector (sessions stay up).
 *  - shim: one tool call through the shim (`docker ps`) against starting a bare `node`.
 * Ratios are against a baseline measured in the same run (two bare FRR routers, one prefix), so a busy machine shows.
 *
 * Usage (root): tsx bench/lab/lab-bench.ts [--runs 3] [--changes 5] [--pause 3000]   Writes bench/results/lab.md.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, release } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { execa } from 'execa'
import type { LabBackend } from '../../lab/backend.ts'
import { createTwinBackend } from '../../lab/twin/backend.ts'
import { labNamespace } from '../../lab/twin/context.ts'
import { frrPairBaseline } from './frr-baseline.ts'
import { type CgroupMemory, kernelRoutes, labMemory, median, memoryCgroup, waitFor } from './probes.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    changes: { type: 'string', default: '5' },
    pause: { type: 'string', default: '3000' },
  },
})
const RUNS = Number(values.runs)
const CHANGES = Number(values.changes)
const PAUSE = Number(values.pause)
const ROUTERS = ['clab-bgp-spine0', 'clab-bgp-spine1', 'clab-bgp-leaf0', 'clab-bgp-leaf1']

async function sh(lab: LabBackend, command: string): Promise<string> {
  const result = await lab.exec(command, { timeoutMs: 120_000 })
  if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode}\n${result.stderr}`)
  return result.stdout
}

function labIds(lab: LabBackend) {
  const runDir = join(lab.status().workspace!, '..', '..')
  return { id: runDir.split('/').at(-1)! }
}

async function hasAll(ns: string, cidrs: string[]): Promise<boolean> {
  const routes = await kernelRoutes(ns)
  return cidrs.every((cidr) => routes.some((route) => route.dst === cidr))
}

interface RunResult {
  up: number
  fabric: number
  converged: number
  afterPolicy: number
  /** Step of the converged path -> ms, in order (after up()). */
  phases: Record<string, number>
  memory?: Awaited<ReturnType<typeof labMemory>>
  /** What the kernel charged the lab's cgroup at the same moment. */
  charged?: CgroupMemory
  withdraw: number[]
  announce: number[]
  announceAfterPause: number[]
  serviceWithdraw: number[]
  serviceAnnounce: number[]
}

async function waitForValue(read: () => Promise<string>): Promise<string> {
  let value = ''
  await waitFor('a value', async () => Boolean((value = await read())), 60_000, 100)
  return value
}

type Measure = 'changes' | 'memory' | 'time'

async function oneRun(measure: Measure, daemonRuntime: 'bundle' | 'tsx' = 'bundle'): Promise<RunResult> {
  const cgroup = measure === 'time' ? undefined : memoryCgroup(`bgplab-bench-${process.pid}-${Date.now()}`)
  const lab = createTwinBackend({ daemonRuntime, cgroup: cgroup?.path })
  const started = Date.now()
  try {
    await lab.up()
    const up = Date.now() - started
    const { id } = labIds(lab)
    const ns = (device: string) => labNamespace(id, device)
    const phases: Record<string, number> = {}
    let mark = Date.now()
    const phase = (name: string) => {
      phases[name] = Date.now() - mark
      mark = Date.now()
    }
    await sh(lab, 'bash install.sh >/dev/null 2>&1')
    phase('install.sh')
    await sh(lab, 'brctl addbr br-leaf0 && ip link set br-leaf0 up && brctl addbr br-leaf1 && ip link set br-leaf1 up')
    phase('bridges')
    const deployStart = Date.now()
    await sh(lab, 'clab deploy -t cilium.bgp.clab.yml 2>/dev/null')
    phase('clab deploy command')
    // Watched on the side: a learner goes on with the next command while the fabric converges (FRR holds each new
    // peer about a second before its first connection), so the converged path does not wait for it either.
    const fabricWatch = waitFor(
      'leaf0 to learn 10.1.8.0/24 over both spines',
      async () =>
        (await kernelRoutes(ns('clab-bgp-leaf0'))).some(
          (route) => route.dst === '10.1.8.0/24' && route.nexthops?.length === 2,
        ),
      60_000,
      50,
    )
    await sh(lab, 'bash cilium.sh >/dev/null')
    phase('cilium.sh')
    await sh(lab, 'kubectl apply -f cni.yaml >/dev/null')
    phase('cni.yaml')
    await sh(lab, 'kubectl apply -f bgp_peering_policy.yaml >/dev/null')
    phase('policy apply command')
    const policyApplied = Date.now()
    const podCidrs = (await sh(lab, `kubectl get nodes -o jsonpath='{.items[*].spec.podCIDR}'`)).split(' ')
    const converged = await waitFor('every router to hold every pod CIDR', async () => {
      for (const router of ROUTERS) if (!(await hasAll(ns(router), podCidrs))) return false
      return true
    })
    phases['routes after the policy'] = converged - policyApplied
    const fabricDone = await fabricWatch
    const result: RunResult = {
      up,
      fabric: fabricDone - deployStart,
      converged: converged - started,
      afterPolicy: converged - policyApplied,
      phases,
      withdraw: [],
      announce: [],
      announceAfterPause: [],
      serviceWithdraw: [],
      serviceAnnounce: [],
    }
    if (measure === 'time') return result
    const ownerPid = Number((await execa('cat', [`/run/bgplab/labs/${id}.json`])).stdout.match(/"pid":(\d+)/)![1])
    result.memory = await labMemory(id, [ownerPid])
    result.charged = cgroup!.read()
    if (measure === 'memory') return result
    const rack1 = podCidrs.slice(2)
    const spine0 = ns('clab-bgp-spine0')
    for (let i = 0; i < 2 * CHANGES; i++) {
      let t = Date.now()
      await sh(lab, 'kubectl delete ciliumbgppeeringpolicy rack1 >/dev/null')
      result.withdraw.push(
        (await waitFor('rack1 pod CIDRs to leave spine0', async () => {
          const routes = await kernelRoutes(spine0)
          return rack1.every((cidr) => !routes.some((route) => route.dst === cidr))
        })) - t,
      )
      const paused = i >= CHANGES
      // A random extra of up to 3 s: FRR's retries come on a cycle, and a fixed pause would always meet it in one phase.
      if (paused) await sleep(PAUSE + Math.random() * 3000)
      t = Date.now()
      await sh(lab, 'kubectl apply -f bgp_peering_policy.yaml >/dev/null')
      const back = (await waitFor('rack1 pod CIDRs back on spine0', () => hasAll(spine0, rack1))) - t
      ;(paused ? result.announceAfterPause : result.announce).push(back)
    }
    // Service /32s over sessions that stay up: LB-IPAM gives the cni service an address, the policy announces it
    // unless the service is labelled env=test.
    await sh(
      lab,
      'kubectl apply -f bgp_peering_policy_services.yaml >/dev/null && kubectl apply -f lb-ipam.yaml >/dev/null',
    )
    const lbIp = await waitForValue(async () =>
      (await lab.exec(`kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)).stdout.trim(),
    )
    // iproute2 prints a host route's dst without /32.
    const host = [lbIp]
    await waitFor('the service /32 on spine0', () => hasAll(spine0, host))
    for (let i = 0; i < CHANGES; i++) {
      let t = Date.now()
      await sh(lab, 'kubectl label svc cni env=test >/dev/null')
      result.serviceWithdraw.push(
        (await waitFor('the /32 to leave spine0', async () => !(await hasAll(spine0, host)))) - t,
      )
      t = Date.now()
      await sh(lab, 'kubectl label svc cni env- >/dev/null')
      result.serviceAnnounce.push((await waitFor('the /32 back on spine0', () => hasAll(spine0, host))) - t)
    }
    return result
  } finally {
    await lab.down()
    cgroup?.remove()
  }
}

async function shimCost(): Promise<{ shim: number; node: number }> {
  const lab = createTwinBackend()
  try {
    await lab.up()
    const time = async (command: string) => {
      const samples: number[] = []
      for (let i = 0; i < 15; i++) samples.push((await lab.exec(command)).durationMs)
      return median(samples)
    }
    return { shim: await time('docker ps >/dev/null'), node: await time(`'${process.execPath}' -e 0`) }
  } finally {
    await lab.down()
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`
// The machine is shared: the load average (1, 5, 15 min, as `uptime` prints it) says how busy it was.
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')
const loadBefore = load()
const baselines: number[] = []
const runs: RunResult[] = []
for (let i = 0; i < RUNS; i++) {
  baselines.push(await frrPairBaseline())
  runs.push(await oneRun(i === RUNS - 1 ? 'changes' : 'time'))
  console.error(`run ${i + 1}/${RUNS}: converged ${fmt(runs[i].converged)}, baseline ${fmt(baselines[i])}`)
}
const tsxMemory = (await oneRun('memory', 'tsx')).memory!
const shim = await shimCost()
const last = runs.at(-1)!
const baseline = median(baselines)
const converged = median(runs.map((run) => run.converged))
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
type Memory = NonNullable<RunResult['memory']>
const byCommand = (memory: Memory) =>
  [...memory.byCommand].map(([command, m]) => `${command} x${m.count} RSS ${mib(m.rss)} PSS ${mib(m.pss)}`).join(', ')
const daemonMemory = (memory: Memory) => {
  const node = memory.byCommand.get('node')
  return node ? `RSS ${mib(node.rss)} PSS ${mib(node.pss)}` : 'not found'
}
const report = `# Lab benchmark (twin)

Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores (shared; load average ${loadBefore} before, ${load()} after),
kernel ${release()}, ${RUNS} runs
(\`tsx bench/lab/lab-bench.ts --runs ${RUNS} --changes ${CHANGES}\`). Baseline: two bare FRR routers, one eBGP session,
one prefix, from nothing to the prefix in the kernel: median ${fmt(baseline)} in this run.

| measure | median | vs baseline | target |
|---|---|---|---|
| up() (preflight, daemon, lab host) | ${fmt(median(runs.map((r) => r.up)))} | | |
| clab deploy to leaf0 ECMP for 10.1.8.0/24 | ${fmt(median(runs.map((r) => r.fabric)))} | ${(median(runs.map((r) => r.fabric)) / baseline).toFixed(2)}x | |
| last command (policy apply) to all routes in all 4 routers | ${fmt(median(runs.map((r) => r.afterPolicy)))} | ${(median(runs.map((r) => r.afterPolicy)) / baseline).toFixed(2)}x | |
| nothing to converged (up, install.sh, bridges, clab, cilium.sh, cni, policy) | ${fmt(converged)} | ${(converged / baseline).toFixed(2)}x | <= 5 s |
| policy delete to rack1 pod CIDRs gone from spine0 (${2 * CHANGES} changes) | ${fmt(median(last.withdraw))} | | <= 1 s |
| policy apply right after that to rack1 pod CIDRs back on spine0 (${CHANGES} changes; sessions re-established) | ${fmt(median(last.announce))} | | <= 1 s |
| the same apply ${fmt(PAUSE)} to ${fmt(PAUSE + 3000)} after the withdrawal (${CHANGES} changes) | ${fmt(median(last.announceAfterPause))} | | <= 1 s |
| service labelled env=test to its /32 gone from spine0 (${CHANGES} changes) | ${fmt(median(last.serviceWithdraw))} | | <= 1 s |
| label removed to the /32 back on spine0 (${CHANGES} changes) | ${fmt(median(last.serviceAnnounce))} | | <= 1 s |
| one tool call through the shim (\`docker ps\`) | ${shim.shim} ms | ${(shim.shim / shim.node).toFixed(2)}x a bare \`node -e 0\` (${shim.node} ms) | |

A policy apply waits for the leaves: each retries its connection to a node every second (\`timers connect 1\`),
so a session comes up 0-1 s after the node's BGP server exists, and the routes follow within about 0.15 s. Each node's
gobgpd runs from its Cilium agent's start, and a policy creates the BGP server inside it through the API (tens of
milliseconds), so no apply waits for a process to start.
Right after a delete the wait is longer: FRR holds a peer Idle for about 2 s after the Cease the node's speaker sends
when the policy goes (GoBGP sends it as Cilium's does). FRR 8.4 has no command for that idle hold (\`timers connect\`
paces the retries after it, \`timers delayopen\` delays the OPEN; neither shortens it), and although the leaf accepts a
connection the node opens while Idle, GoBGP 3.10 waits 5 s or more before it dials. A Cease is what Cilium sends, so the
twin keeps it rather than closing the session silently.

Memory of the converged lab (${last.memory!.processes} processes: FRR, GoBGP, pod servers, the twin daemon), target <= 250 MB:
- charged by the kernel to the lab's cgroup, as \`docker stats\` counts a container: ${mib(last.charged!.usage)}
  (${mib(last.charged!.anon)} the processes' own memory, ${mib(last.charged!.file)} page cache such as logs and configs);
- PSS ${mib(last.memory!.pss)} (pages shared with other processes divided among them);
- RSS summed over the processes ${mib(last.memory!.rss)}: this counts each binary's pages once per process that maps them
  (node's alone is about 40 MiB, each gobgpd's about 13 MiB), so it is larger than what the lab costs the machine.
By command: ${byCommand(last.memory!)}.
The same lab with the daemon run through tsx instead of its bundle (one more converged run): RSS ${mib(tsxMemory.rss)},
PSS ${mib(tsxMemory.pss)}; the daemon ${daemonMemory(tsxMemory)} through tsx against ${daemonMemory(last.memory!)} bundled.

Where the time goes after up() (median ms per step over the runs): ${Object.keys(last.phases)
  .map((name) => `${name} ${median(runs.map((r) => r.phases[name]))}`)
  .join(', ')}.

Per run (s): ${runs.map((r, i) => `run ${i + 1}: converged ${fmt(r.converged)}, after policy ${fmt(r.afterPolicy)}, baseline ${fmt(baselines[i])}`).join('; ')}.
Changes (ms): policy withdraw ${last.withdraw.join(', ')}; policy announce ${last.announce.join(', ')};
policy announce after ${PAUSE}-${PAUSE + 3000} ms ${last.announceAfterPause.join(', ')};
service withdraw ${last.serviceWithdraw.join(', ')}; service announce ${last.serviceAnnounce.join(', ')}.
`
writeFileSync(join(import.meta.dirname, '..', 'results', 'lab.md'), report)
console.log(report)
