import { createTwinContext } from '../../lab/twin/context.ts'
import type { RouterConfig } from '../../lab/twin/router/frr-config.ts'
import { startFrr } from '../../lab/twin/router/frr-instance.ts'
import { kernelRoutes, waitFor } from './probes.ts'

/**
 * The machine's floor for the same work: two FRR routers on one veth, one eBGP session, one prefix (on the first
 * router's loopback). The lab's convergence is reported as a ratio to this, so a slow or busy machine reads as such
 * and not as a slow lab. The configs are written out, not translated: the lab's own timer choices (see
 * frr-config.ts) stay out of the floor, which keeps FRR's defaults apart from `no bgp ebgp-requires-policy` and the
 * 1 s connect retry the baseline has always had, so results of different versions of the lab compare.
 */
const ROUTERS: RouterConfig[] = [
  {
    interfaces: new Map([
      ['eth1', ['10.9.0.1/24']],
      ['lo', ['10.9.9.1/24']],
    ]),
    zebraConf: 'ip forwarding\ninterface eth1\n ip address 10.9.0.1/24\ninterface lo\n ip address 10.9.9.1/24\n',
    bgpdConf:
      'router bgp 65001\n no bgp ebgp-requires-policy\n neighbor 10.9.0.2 remote-as 65002\n neighbor 10.9.0.2 timers connect 1\n' +
      ' address-family ipv4 unicast\n  network 10.9.9.0/24\n exit-address-family\n',
  },
  {
    interfaces: new Map([['eth1', ['10.9.0.2/24']]]),
    zebraConf: 'ip forwarding\ninterface eth1\n ip address 10.9.0.2/24\n',
    bgpdConf:
      'router bgp 65002\n no bgp ebgp-requires-policy\n neighbor 10.9.0.1 remote-as 65001\n neighbor 10.9.0.1 timers connect 1\n' +
      ' address-family ipv4 unicast\n exit-address-family\n',
  },
]

/** Milliseconds from nothing to the prefix in the second router's kernel. */
export async function frrPairBaseline(): Promise<number> {
  const lab = createTwinContext()
  const started = Date.now()
  try {
    const namespaces = [lab.ns('a'), lab.ns('b')]
    for (const ns of namespaces) await lab.addNamespace(ns, { forwarding: true })
    await lab.run([
      'ip',
      '-n',
      namespaces[0],
      'link',
      'add',
      'eth1',
      'type',
      'veth',
      'peer',
      'name',
      'eth1',
      'netns',
      namespaces[1],
    ])
    await Promise.all(
      ROUTERS.map(async (config, index) => {
        const ns = namespaces[index]
        await lab.run(['ip', 'link', 'set', 'eth1', 'up'], { ns })
        for (const [iface, addresses] of config.interfaces) {
          for (const address of addresses) await lab.run(['ip', 'addr', 'add', address, 'dev', iface], { ns })
        }
        const name = `baseline-${index}`
        // A router runs in its container's namespaces (container-root.ts).
        lab.containers.set(name, {
          name,
          image: 'vyos/vyos:1.2.8',
          ns,
          kind: 'router',
          createdAt: Date.now(),
          labels: {},
        })
        await startFrr(lab, name, config)
      }),
    )
    const converged = await waitFor('the baseline prefix', async () =>
      (await kernelRoutes(namespaces[1])).some((route) => route.dst === '10.9.9.0/24'),
    )
    return converged - started
  } finally {
    await lab.teardown()
  }
}
