import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../../support/lab-helpers.ts'

/**
 * The migration from v1 peering policies to BGP v2 on the seed lab, with the learner's commands: the 1.18 chart
 * refuses the reused `tunnel` value, the upgrade with 1.18's values goes through, deleting the policies drops the
 * nodes' sessions on leaf0, the v2 cluster and peer configs bring them back with nothing advertised, and the
 * advertisement brings the pod CIDRs and the service /32 to leaf0, with the node configs' status established.
 */
const { sh } = useSeedLab()
const NODE_IP = '10.1.5.10'

type Peer = { state: string }
const leaf0Peer = async () =>
  (
    JSON.parse(await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)) as {
      ipv4Unicast: { peers: Record<string, Peer> }
    }
  ).ipv4Unicast.peers[NODE_IP]
type Neighbor = { bgpState: string; bgpTimerHoldTimeMsecs: number; bgpTimerKeepAliveIntervalMsecs: number }
/** The rack0 control-plane node as leaf0's FRR sees it: state and the negotiated timers. */
const leaf0Neighbor = async () =>
  (
    JSON.parse(await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp neighbors ${NODE_IP} json'`)) as Record<
      string,
      Neighbor
    >
  )[NODE_IP]
/** leaf0's BGP routes learned from the rack0 control-plane node. */
const routesFromNode = async () => {
  const routes = JSON.parse(
    await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show ip bgp neighbors ${NODE_IP} routes json'`),
  ) as { routes?: Record<string, unknown> }
  return Object.keys(routes.routes ?? {}).sort()
}

describe('BGP v2 on Cilium 1.18 in the twin lab', () => {
  it('refuses --reuse-values (tunnel is gone in 1.18) and upgrades with 1.18 values', async () => {
    const refused = await sh(
      'helm upgrade cilium cilium/cilium --version 1.18.2 -n kube-system --reuse-values 2>&1; echo "exit=$?"',
    )
    expect(refused).toContain(
      'Error: UPGRADE FAILED: execution error at (cilium/templates/validate.yaml:41:5): tunnel was deprecated in v1.14 and has been removed in v1.15.',
    )
    expect(refused).toContain('exit=1')
    expect(await sh('bash cilium-1.18.sh')).toContain('Release "cilium" has been upgraded.')
    const image = await until(
      'agents on 1.18',
      async () => {
        const images = await sh(
          `kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{.items[*].spec.containers[0].image}'`,
        )
        return (
          images
            .trim()
            .split(' ')
            .every((i) => i.endsWith(':v1.18.2')) && images.trim()
        )
      },
      { timeoutMs: 60_000 },
    )
    expect(image.split(' ')).toHaveLength(4)
    expect(await sh('kubectl api-resources --api-group=cilium.io -o name')).toContain(
      'ciliumbgpclusterconfigs.cilium.io',
    )
  }, 120_000)

  it('drops the sessions when the v1 policies go, and brings them back from the v2 configs with nothing advertised', async () => {
    await until('leaf0 established with the node under v1', async () => (await leaf0Peer())?.state === 'Established', {
      timeoutMs: 60_000,
    })
    expect(await sh('kubectl delete -f bgp_peering_policy.yaml')).toContain(
      'ciliumbgppeeringpolicy.cilium.io "rack0" deleted',
    )
    await until('the session dropped on leaf0', async () => (await leaf0Peer())?.state !== 'Established')
    expect(await sh('kubectl apply -f bgp-v2-peering.yaml')).toContain('ciliumbgpclusterconfig.cilium.io/rack0 created')
    await until('leaf0 established with the node under v2', async () => (await leaf0Peer())?.state === 'Established', {
      timeoutMs: 60_000,
    })
    expect(await routesFromNode()).toEqual([])
    const state = await until('the node config reports the session', async () => {
      const out = await sh(
        `kubectl get ciliumbgpnodeconfig clab-bgp-control-plane -o jsonpath='{.status.bgpInstances[0].peers[0].peeringState}'`,
      )
      return out === 'established' && out
    })
    expect(state).toBe('established')
  }, 120_000)

  it("negotiates the peer config's hold time with the leaf, and again after the peer config changes", async () => {
    // bgp-v2-peering.yaml's timers: hold 9 s, keepalive 3 s (leaf0's FRR offers 180 s, so the lower one wins).
    const first = await until('leaf0 established with hold time 9 s', async () => {
      const n = await leaf0Neighbor()
      return n?.bgpState === 'Established' && n.bgpTimerHoldTimeMsecs === 9000 && n
    })
    expect(first.bgpTimerKeepAliveIntervalMsecs).toBe(3000)
    await sh(
      `kubectl patch ciliumbgppeerconfig leaf --type merge -p '{"spec":{"timers":{"holdTimeSeconds":30,"keepAliveTimeSeconds":10}}}'`,
    )
    const changed = await until(
      'leaf0 established again with hold time 30 s',
      async () => {
        const n = await leaf0Neighbor()
        return n?.bgpState === 'Established' && n.bgpTimerHoldTimeMsecs === 30_000 && n
      },
      { timeoutMs: 60_000 },
    )
    expect(changed.bgpTimerKeepAliveIntervalMsecs).toBe(10_000)
  }, 120_000)

  it('advertises the pod CIDR and, with a selector, the service /32 once an advertisement matches', async () => {
    const podCidr = (await sh(`kubectl get node clab-bgp-control-plane -o jsonpath='{.spec.podCIDR}'`)).trim()
    await sh('kubectl apply -f lb-ipam-v2.yaml')
    const lbIp = await until(
      'the service has a red-pool address',
      async () =>
        (await sh(`kubectl get svc cni -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)).trim() || undefined,
    )
    // 1.18's LB-IPAM names: the service's condition, and the pool's counts (256 with the reserved first and last, 3 used).
    expect(await sh(`kubectl get svc cni -o jsonpath='{.status.conditions[*].type}'`)).toBe(
      'cilium.io/IPAMRequestSatisfied',
    )
    expect(await sh('kubectl get ippools red-pool --no-headers')).toMatch(/^red-pool\s+false\s+False\s+253\s/)
    await sh('kubectl apply -f bgp-v2-advertisement-trap.yaml')
    await until('the pod CIDR reaches leaf0', async () => (await routesFromNode()).includes(podCidr))
    expect(await routesFromNode()).toEqual([podCidr])
    await sh('kubectl apply -f bgp-v2-advertisement.yaml')
    const routes = await until('the /32 reaches leaf0', async () => {
      const now = await routesFromNode()
      return now.includes(`${lbIp}/32`) && now
    })
    expect(routes).toEqual([podCidr, `${lbIp}/32`].sort())
  }, 120_000)
})
