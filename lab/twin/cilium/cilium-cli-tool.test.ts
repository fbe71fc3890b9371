import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { callTool } from '../daemon/call-tool.ts'
import { ciliumCliTool } from './cilium-cli-tool.ts'

describe('cilium (cilium-cli on the lab host)', () => {
  const fake = useFakeCluster('cilium-cli-tool-')
  const call = (argv: string[]) => callTool(ciliumCliTool, fake.lab, argv, { cwd: fake.dir })

  it('prints the client versions with --client, the stable one unknown (the lab host is offline)', async () => {
    const out = await call(['version', '--client'])
    expect(out.exitCode).toBe(0)
    expect(out.stdout).toMatch(
      /^cilium-cli: v0\.\d+\.\d+ compiled with go1\.\d+\.\d+ on linux\/amd64\ncilium image \(default\): v1\.\d+\.\d+\ncilium image \(stable\): unknown\n$/,
    )
  })

  it('refuses a real command the twin does not do with what to use instead, and a typo as cobra does', async () => {
    const hubble = await call(['hubble', 'enable'])
    expect(hubble.exitCode).toBe(1)
    expect(hubble.stderr).toMatch(/^cilium: 'hubble' is not available in the twin lab\n/)
    const typo = await call(['stauts'])
    expect(typo.stderr).toBe('Error: unknown command "stauts" for "cilium"\nRun \'cilium --help\' for usage.\n')
  })

  it('refuses a routes table other than ipv4 unicast rather than printing an empty one', async () => {
    const out = await call(['bgp', 'routes', 'available', 'ipv6', 'unicast'])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toMatch(/^cilium: 'bgp routes available ipv6 unicast' is not available in the twin lab/)
  })

  it('fills in `bgp routes` as cilium-cli does, saying so, rather than refusing it', async () => {
    const none = await call(['bgp', 'routes'])
    expect(none.stdout).toMatch(
      /^\(Defaulting to `available ipv4 unicast` routes, please see help for more options\)\n\n/,
    )
    expect(none.stderr).not.toMatch(/not available in the twin lab/)
    const table = await call(['bgp', 'routes', 'advertised'])
    expect(table.stdout).toMatch(/^\(Defaulting to `ipv4 unicast` AFI & SAFI, please see help for more options\)\n\n/)
    const afi = await call(['bgp', 'routes', 'available', 'ipv6'])
    expect(afi.stdout).toBe('(Defaulting to `unicast` SAFI, please see help for more options)\n\n')
    expect(afi.stderr).toMatch(/^cilium: 'bgp routes available ipv6 unicast' is not available in the twin lab/)
  })

  it('status before Cilium is installed: the agent DaemonSet not found, the operator disabled, exit 0', async () => {
    fake.createKindCluster()
    const out = await call(['status'])
    const plain = out.stdout.replace(/\x1b\[\d+m/g, '')
    expect(out.exitCode).toBe(0)
    expect(plain).toMatch(/^ \/¯¯\\__\/¯¯\\ +Cilium: +1 errors$/m)
    expect(plain).toMatch(/^ \\__\/¯¯\\__\/ +Operator: +disabled$/m)
    expect(plain).toMatch(/^Errors: +cilium +cilium +daemonsets\.apps "cilium" not found$/m)
  })
})
