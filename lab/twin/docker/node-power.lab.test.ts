import { describe, expect, it } from 'vitest'
import { useSeedLab, until as waitUntil } from '../../../support/lab-helpers.ts'

/**
 * A kind node failing and drained, on the seed lab: `docker stop` of a worker takes its BGP session and pod CIDR off
 * its leaf and, after the node lifecycle controller's grace period (40 s), makes it NotReady and unreachable;
 * `docker start` brings it all back. Then cordon and drain of a worker with a deployment's pods on it, and the
 * control plane node stopped under kubectl. One lab for all of it, in this order.
 */
const { sh } = useSeedLab()

const until = <T>(what: string, probe: () => Promise<T | undefined | false>) =>
  waitUntil(what, probe, { timeoutMs: 90_000, intervalMs: 500 })

const WORKER3 = 'clab-bgp-worker3'
/** worker3's address on rack 1, which leaf1 peers with. */
const WORKER3_IP = '10.1.8.11'

/** The state of `peer` in `router`'s BGP summary (FRR's JSON), or 'absent'. */
async function peerState(router: string, peer: string): Promise<string> {
  const summary = JSON.parse(await sh(`docker exec ${router} vtysh -c 'show bgp summary json'`))
  return summary.ipv4Unicast?.peers[peer]?.state ?? 'absent'
}

/** The BGP routes in `router`'s table (FRR's JSON), by prefix. */
async function bgpRoutes(router: string): Promise<Record<string, Array<{ nexthops: Array<{ ip: string }> }>>> {
  return JSON.parse(await sh(`docker exec ${router} vtysh -c 'show ip route bgp json'`))
}

/** leaf1's next hops for `prefix`, sorted. */
async function nextHops(prefix: string): Promise<string[]> {
  return ((await bgpRoutes('clab-bgp-leaf1'))[prefix]?.[0]?.nexthops ?? []).map((hop) => hop.ip).sort()
}

/** The cni service's LoadBalancer address from LB-IPAM's red pool, announced by every node (chapter 6). */
async function announcedService(): Promise<string> {
  await sh('kubectl apply -f bgp_peering_policy_services.yaml && kubectl apply -f lb-ipam.yaml')
  await sh('kubectl label svc cni color=red --overwrite')
  const ip = await until('the cni service address', async () =>
    (await sh(`kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)).trim(),
  )
  return `${ip}/32`
}

const nodeField = (node: string, path: string) => sh(`kubectl get node ${node} -o jsonpath='${path}'`)
const readyStatus = (node: string) => nodeField(node, '{.status.conditions[?(@.type=="Ready")].status}')

describe('docker stop and start of a kind node', () => {
  let service = ''

  it("stop ends the node's speaker: leaf1 loses the session, the node's pod CIDR and its next hop for the service, docker ps -a shows it exited", async () => {
    service = await announcedService()
    await until(
      'both rack 1 nodes as next hops for the service on leaf1',
      async () => (await nextHops(service)).join() === `10.1.8.10,${WORKER3_IP}`,
    )
    await until(
      'leaf1 Established with worker3',
      async () => (await peerState('clab-bgp-leaf1', WORKER3_IP)) === 'Established',
    )
    const podCidr = await nodeField(WORKER3, '{.spec.podCIDR}')
    await until(
      'the pod CIDR of worker3 on leaf1',
      async () => (await bgpRoutes('clab-bgp-leaf1'))[podCidr] !== undefined,
    )

    expect(await sh(`docker stop ${WORKER3}`)).toBe(`${WORKER3}\n`)
    await until('leaf1 to lose worker3', async () => (await peerState('clab-bgp-leaf1', WORKER3_IP)) !== 'Established')
    await until(
      'the pod CIDR of worker3 gone from leaf1',
      async () => (await bgpRoutes('clab-bgp-leaf1'))[podCidr] === undefined,
    )
    await until(
      'one next hop left for the service on leaf1',
      async () => (await nextHops(service)).join() === '10.1.8.10',
    )
    expect(await sh(`docker ps --format '{{.Names}}'`)).not.toContain(WORKER3)
    expect(await sh(`docker ps -a --format '{{.Names}} {{.Status}}'`)).toMatch(
      new RegExp(`^${WORKER3} Exited \\(137\\) .+ ago$`, 'm'),
    )
    expect(await sh(`docker inspect -f '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}' ${WORKER3}`)).toBe(
      'exited false 137\n',
    )
    // Its address stops answering with it.
    expect(await sh(`docker exec clab-bgp-leaf1 ping -c 1 -W 1 ${WORKER3_IP} >/dev/null && echo up || echo down`)).toBe(
      'down\n',
    )
  })

  it('the node goes NotReady after the grace period, Unknown and tainted unreachable by the node controller', async () => {
    await until('worker3 Unknown', async () => (await readyStatus(WORKER3)) === 'Unknown')
    expect(await sh(`kubectl get node ${WORKER3} --no-headers`)).toMatch(new RegExp(`^${WORKER3} +NotReady +<none> `))
    const describe = await sh(`kubectl describe node ${WORKER3}`)
    expect(describe).toMatch(
      /^Taints: +node\.kubernetes\.io\/unreachable:NoExecute\n +node\.kubernetes\.io\/unreachable:NoSchedule\n/m,
    )
    expect(describe).toMatch(/^ {2}Ready +Unknown .* NodeStatusUnknown +Kubelet stopped posting node status\.$/m)
    // Its pods stay, Running as last reported, but not ready: the service's endpoints leave them out.
    const pod = `pod -l app=cni --field-selector spec.nodeName=${WORKER3}`
    expect(await sh(`kubectl get ${pod} -o jsonpath='{.items[0].status.conditions[?(@.type=="Ready")].status}'`)).toBe(
      'False',
    )
    const podIp = await sh(`kubectl get ${pod} -o jsonpath='{.items[0].status.podIP}'`)
    expect(podIp).toMatch(/^10\.98\./)
    await until(
      'the service endpoints without the pod',
      async () =>
        !(await sh(`kubectl get endpoints cni -o jsonpath='{.subsets[*].addresses[*].ip}'`)).split(' ').includes(podIp),
    )
    // Listed as not ready, as the endpoints controller lists a pod whose Ready condition is False.
    expect(
      (await sh(`kubectl get endpoints cni -o jsonpath='{.subsets[*].notReadyAddresses[*].ip}'`)).split(' '),
    ).toContain(podIp)
    expect(await sh('kubectl get events -A')).toMatch(
      new RegExp(`Normal +NodeNotReady +node/${WORKER3} +Node ${WORKER3} status is now: NodeNotReady`),
    )
    // The DaemonSets count the node's pods as not ready, and cilium-cli reports its agent unavailable.
    expect(await sh('kubectl -n kube-system get ds cilium --no-headers')).toMatch(/^cilium +4 +4 +3 +4 +3 /)
    expect(await sh('cilium status')).toMatch(
      /DaemonSet +cilium +Desired: 4, Ready: .*3\/4.*, Available: .*3\/4.*, Unavailable: .*1\/4/,
    )
  }, 120_000)

  it('start brings the speaker, the pod CIDR, the next hop and the node back, and the taints go', async () => {
    const podCidr = await nodeField(WORKER3, '{.spec.podCIDR}')
    expect(await sh(`docker start ${WORKER3}`)).toBe(`${WORKER3}\n`)
    await until(
      'leaf1 Established with worker3 again',
      async () => (await peerState('clab-bgp-leaf1', WORKER3_IP)) === 'Established',
    )
    await until(
      'the pod CIDR of worker3 on leaf1 again',
      async () => (await bgpRoutes('clab-bgp-leaf1'))[podCidr]?.[0]?.nexthops[0]?.ip === WORKER3_IP,
    )
    await until(
      'worker3 a next hop for the service again',
      async () => (await nextHops(service)).join() === `10.1.8.10,${WORKER3_IP}`,
    )
    await until('worker3 Ready', async () => (await readyStatus(WORKER3)) === 'True')
    expect(await nodeField(WORKER3, '{.spec.taints}')).toBe('')
    const pod = await sh(`kubectl get pods -l app=cni --field-selector spec.nodeName=${WORKER3} --no-headers`)
    // Its containers were started again by the kubelet: one restart each.
    expect(pod).toMatch(/^cni-\S+ +1\/1 +Running +1 \(\d+s ago\) /)
    expect(await sh(`docker exec clab-bgp-leaf1 ping -c 1 -W 2 ${WORKER3_IP} >/dev/null && echo up || echo down`)).toBe(
      'up\n',
    )
  })
})

describe('kubectl cordon and drain', () => {
  const WORKER2 = 'clab-bgp-worker2'

  it('cordon shows SchedulingDisabled and keeps new pods off the node', async () => {
    expect(await sh(`kubectl cordon ${WORKER2}`)).toBe(`node/${WORKER2} cordoned\n`)
    expect(await sh(`kubectl get node ${WORKER2} --no-headers`)).toMatch(
      new RegExp(`^${WORKER2} +Ready,SchedulingDisabled +<none> `),
    )
    expect(await sh(`kubectl describe node ${WORKER2}`)).toMatch(
      /^Taints: +node\.kubernetes\.io\/unschedulable:NoSchedule\nUnschedulable: +true$/m,
    )
    await sh('kubectl create deployment web --image=nginx --replicas=4')
    await until(
      'web running',
      async () => (await sh('kubectl get pods -l app=web --no-headers')).match(/Running/g)?.length === 4,
    )
    expect(await sh(`kubectl get pods -l app=web -o jsonpath='{.items[*].spec.nodeName}'`)).not.toContain(WORKER2)
    expect(await sh(`kubectl uncordon ${WORKER2}`)).toBe(`node/${WORKER2} uncordoned\n`)
  })

  it('drain refuses DaemonSet pods without --ignore-daemonsets, then evicts the rest, which run elsewhere', async () => {
    await sh('kubectl scale deployment web --replicas=8')
    await until('a web pod on worker2', async () =>
      (await sh(`kubectl get pods -l app=web --field-selector spec.nodeName=${WORKER2} --no-headers`)).includes(
        'Running',
      ),
    )
    const refused = await sh(`kubectl drain ${WORKER2} 2>&1; echo "exit $?"`)
    expect(refused).toMatch(
      new RegExp(
        `^node/${WORKER2} cordoned\nerror: unable to drain node "${WORKER2}" due to error:cannot delete DaemonSet-managed Pods \\(use --ignore-daemonsets to ignore\\): default/cni-\\S+, kube-system/cilium-\\S+, kube-system/kube-proxy-\\S+, continuing command...\n`,
      ),
    )
    expect(refused).toMatch(/\nexit 1\n$/)
    const drained = await sh(`kubectl drain ${WORKER2} --ignore-daemonsets 2>&1`)
    expect(drained).toMatch(new RegExp(`^node/${WORKER2} already cordoned\nWARNING: ignoring DaemonSet-managed Pods: `))
    expect(drained).toMatch(/^evicting pod default\/web-\S+$/m)
    expect(drained).toMatch(new RegExp(`\nnode/${WORKER2} drained\n$`))
    await until('8 web pods running off worker2', async () => {
      const pods = await sh(
        `kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName} {.status.phase}{"\\n"}{end}'`,
      )
      const lines = pods.trim().split('\n')
      return lines.length === 8 && lines.every((line) => line.endsWith(' Running') && !line.startsWith(WORKER2))
    })
    expect(await sh(`kubectl uncordon ${WORKER2}`)).toBe(`node/${WORKER2} uncordoned\n`)
  })
})

describe('docker stop of the control plane node', () => {
  const CONTROL_PLANE = 'clab-bgp-control-plane'

  it('refuses kubectl as the real one is refused without its API server, until the node starts again', async () => {
    expect(await sh(`docker stop ${CONTROL_PLANE}`)).toBe(`${CONTROL_PLANE}\n`)
    expect(await sh('kubectl get nodes 2>&1; echo "exit $?"')).toBe(
      'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\nexit 1\n',
    )
    await until(
      'leaf0 to lose the control plane',
      async () => (await peerState('clab-bgp-leaf0', '10.1.5.10')) !== 'Established',
    )
    expect(await sh(`docker start ${CONTROL_PLANE}`)).toBe(`${CONTROL_PLANE}\n`)
    await until(
      'leaf0 Established with the control plane again',
      async () => (await peerState('clab-bgp-leaf0', '10.1.5.10')) === 'Established',
    )
    expect(await sh(`kubectl get node ${CONTROL_PLANE} --no-headers`)).toMatch(/ Ready +control-plane,master /)
  })
})
