import { createTwinContext } from '../../lab/twin/context.ts'
import { translateVyosConfig } from '../../lab/twin/router/frr-config.ts'
import { startFrr } from '../../lab/twin/router/frr-instance.ts'
import { kernelRoutes, waitFor } from './probes.ts'

/**
 * The machine's floor for the same work: two FRR routers on one veth, one eBGP session, one prefix (on the first
 * router's loopback). The lab's convergence is reported as a ratio to this, so a slow or busy machine reads as such
 * and not as a slow lab.
 */
const ROUTERS = [
  `interfaces {
    ethernet eth1 {
        address 10.9.0.1/24
    }
    loopback lo {
        address 10.9.9.1/24
    }
}
protocols {
    bgp 65001 {
        address-family {
            ipv4-unicast {
                network 10.9.9.0/24 {
                }
            }
        }
        neighbor 10.9.0.2 {
            remote-as 65002
        }
    }
}`,
  `interfaces {
    ethernet eth1 {
        address 10.9.0.2/24
    }
}
protocols {
    bgp 65002 {
        neighbor 10.9.0.1 {
            remote-as 65001
        }
    }
}`,
]

/** Milliseconds from nothing to the prefix in the second router's kernel. */
export async function frrPairBaseline(): Promise<number> {
  const lab = createTwinContext()
  const started = Date.now()
  try {
    const namespaces = [lab.ns('a'), lab.ns('b')]
    for (const ns of namespaces) await lab.addNamespace(ns, { forwarding: true })
    await lab.run(['ip', '-n', namespaces[0], 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', namespaces[1]])
    await Promise.all(ROUTERS.map(async (source, index) => {
      const ns = namespaces[index]
      const config = translateVyosConfig(source, `baseline-${index}`)
      await lab.run(['ip', 'link', 'set', 'eth1', 'up'], { ns })
      for (const [iface, addresses] of config.interfaces) {
        for (const address of addresses) await lab.run(['ip', 'addr', 'add', address, 'dev', iface], { ns })
      }
      await startFrr(lab, `baseline-${index}`, ns, config)
    }))
    const converged = await waitFor('the baseline prefix', async () => (await kernelRoutes(namespaces[1])).some((route) => route.dst === '10.9.9.0/24'))
    return converged - started
  } finally {
    await lab.teardown()
  }
}
