import { describe, expect, it } from 'vitest'
import { until, useSeedLab } from '../../../support/lab-helpers.ts'

/**
 * cilium-cli on the lab host of the seed lab: against the 1.13 agents `bgp routes` fails with what each agent's own
 * `cilium` answers to the command cilium-cli execs (`cilium bgp routes ... -o json`: 1.13 has no such command); after the move to 1.18 and BGP v2, `cilium bgp peers` lists each node's leaf
 * established and `cilium bgp routes advertised ipv4 unicast` each node's pod CIDR to its leaf.
 */
const { sh } = useSeedLab()

describe('cilium-cli on the twin lab host', () => {
  it('is cilium-cli on the host and the agent CLI in an agent pod; bgp routes reports what each 1.13 agent answers', async () => {
    expect(await sh('cilium version')).toMatch(
      /^cilium-cli: v\S+ compiled with go\S+ on linux\/amd64\ncilium image \(default\): v\S+\ncilium image \(stable\): unknown\ncilium image \(running\): 1\.13\.0-rc5\n$/,
    )
    expect(await sh('cilium bgp routes available ipv4 unicast 2>&1; echo "exit=$?"')).toMatch(
      /Error: Unable to get BGP routes: failed to fetch bgp state from cilium-\S+: \(Error: unknown shorthand flag: 'o' in -o\nUsage:\n {2}cilium bgp \[command\][\s\S]*for more information about a command\.\)\nfailed to fetch bgp state from cilium-[\s\S]*exit=1/,
    )
    const pod = (
      await sh(`kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{.items[0].metadata.name}'`)
    ).trim()
    expect(await sh(`kubectl -n kube-system exec ${pod} -- cilium status --brief`)).toBe('OK\n')
  }, 60_000)

  it("after the v2 migration lists every node's leaf established and the pod CIDRs advertised", async () => {
    await sh('bash cilium-1.18.sh')
    await sh('kubectl delete ciliumbgppeeringpolicy rack0 rack1')
    await sh('kubectl apply -f bgp-v2-peering.yaml')
    await sh('kubectl apply -f bgp-v2-advertisement.yaml')
    const nodes = (
      await sh(`kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR}{"\\n"}{end}'`)
    )
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
    const peers = await until(
      'every node established in cilium bgp peers',
      async () => {
        const out = await sh('cilium bgp peers')
        return (out.match(/ established /g) ?? []).length === 4 && out
      },
      { timeoutMs: 90_000 },
    )
    expect(peers.split('\n')[0]).toMatch(
      /^Node +Local AS +Peer AS +Peer Address +Session State +Uptime +Family +Received +Advertised$/,
    )
    for (const [node] of nodes)
      expect(peers).toMatch(
        new RegExp(`^${node} +6500[58] +6500[58] +10\\.1\\.[58]\\.1 +established +\\S+ +ipv4/unicast `, 'm'),
      )
    const advertised = await until(
      'every pod CIDR advertised',
      async () => {
        const out = await sh('cilium bgp routes advertised ipv4 unicast')
        return nodes.every(([, cidr]) => out.includes(` ${cidr} `)) && out
      },
      { timeoutMs: 60_000 },
    )
    expect(advertised.split('\n')[0]).toMatch(/^Node +VRouter +Peer +Prefix +NextHop +Age +Attrs$/)
    for (const [node, cidr] of nodes)
      expect(advertised).toMatch(
        new RegExp(
          `^(${node})? +6500[58] +10\\.1\\.[58]\\.1 +${cidr.replace(/\./g, '\\.')} +10\\.1\\.[58]\\.\\d+ `,
          'm',
        ),
      )
    expect(await sh('cilium status')).toMatch(/Helm chart version: +1\.18\.2/)
  }, 240_000)
})
