import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { callTool } from '../daemon/call-tool.ts'
import { ciliumTool } from './cilium-tool.ts'

describe('cilium (agent CLI) commands', () => {
  const fake = useFakeCluster('cilium-tool-')
  const call = (argv: string[]) => callTool(ciliumTool, fake.lab, argv, { cwd: fake.dir })

  it("answers a typo with cobra's unknown command, on stderr and once more on stdout", async () => {
    const out = await call(['stauts'])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toBe(
      'Error: unknown command "stauts" for "cilium"\n\nDid you mean this?\n\tstatus\n\nRun \'cilium --help\' for usage.\n',
    )
    expect(out.stdout).toBe('unknown command "stauts" for "cilium"\n\nDid you mean this?\n\tstatus\n\n')
  })

  it('refuses a real command the twin does not do, with what to use instead', async () => {
    const out = await call(['bpf', 'lb', 'list'])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toMatch(/^cilium: 'bpf' is not available in the twin lab\n.*ip route/)
  })

  it('prints the bgp help for `bgp routes`, which 1.13 does not have (cobra only reports unknown commands at the root)', async () => {
    const out = await call(['bgp', 'routes', 'available', 'ipv4', 'unicast'])
    expect(out.exitCode).toBe(0)
    expect(out.stdout).toContain(
      'Usage:\n  cilium bgp [command]\n\nAvailable Commands:\n  peers       List current state of all peers\n',
    )
    expect(out.stdout).toContain('  -D, --debug           Enable debug messages\n')
  })

  it('fails like the real client when no agent runs for the node it is called on', async () => {
    const status = await call(['status'])
    expect(status.exitCode).toBe(1)
    expect(status.stderr).toBe(
      'Get "http://localhost/v1/healthz": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory\nIs the agent running?\n',
    )
    const peers = await call(['bgp', 'peers'])
    expect(peers.stderr).toMatch(/^Error: cannot get peers list: Get "http:\/\/localhost\/v1\/bgp\/peers": dial unix/)
  })

  it('refuses a flag it would otherwise ignore', async () => {
    const out = await call(['status', '-H', 'unix:///other.sock'])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toMatch(/^cilium: 'status -H' is not available in the twin lab/)
  })
})
