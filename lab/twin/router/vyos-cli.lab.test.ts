import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawn as spawnPty } from 'node-pty'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../../support/lab-helpers.ts'
import type { ExecResult } from '../../backend.ts'
import { runBash } from '../../run-bash.ts'
import { addKindNode } from '../cluster/fake-lab.ts'
import { labHostEnv, labHostPaths } from '../daemon/lab-host.ts'
import { type OpenLab, openLab } from '../daemon/open-lab.ts'

/**
 * The VyOS CLI of the twin's routers, as the walkthrough uses it at `root@leaf0:/#`: op-mode show commands answered
 * by FRR, configuration mode applied to FRR on commit, and config.boot in the router's view. The fabric is the
 * seed's (`clab deploy` of cilium.bgp.clab.yml); the kind nodes are bare namespaces, so leaf0's rack peers stay down.
 */
const KIND_NODES = ['clab-bgp-control-plane', 'clab-bgp-worker', 'clab-bgp-worker2', 'clab-bgp-worker3']

let opened: OpenLab
let sh: (command: string, input?: string) => Promise<ExecResult>
let env: Record<string, string>
const bootFile = () => join(opened.lab.workspace, 'startup-conf', 'leaf0-boot.cfg')

beforeAll(async () => {
  opened = await openLab()
  const { lab } = opened
  for (const name of KIND_NODES) {
    await lab.addNamespace(lab.ns(name), { forwarding: true })
    addKindNode(lab, name)
  }
  env = labHostEnv(labHostPaths(lab.runDir), lab.workspace)
  sh = (command, input) =>
    runBash(command, {
      prefix: ['ip', 'netns', 'exec', opened.hostNs],
      env,
      cwd: lab.workspace,
      timeoutMs: 60_000,
      input,
    })
  const deploy = await sh(
    'brctl addbr br-leaf0 && ip link set br-leaf0 up && brctl addbr br-leaf1 && ip link set br-leaf1 up && clab deploy -t cilium.bgp.clab.yml',
  )
  expect(deploy.exitCode).toBe(0)
})

afterAll(async () => {
  await opened?.close()
})

describe('VyOS op mode in a router', () => {
  it("answers show ip route from FRR, with leaf0's ECMP route over both spines", async () => {
    const table = await until('10.1.8.0/24 over both spines on leaf0', async () => {
      const route = await sh(`docker exec clab-bgp-leaf0 bash -c 'show ip route'`)
      return /^B>\* 10\.1\.8\.0\/24 \[20\/0\] via 10\.1\.1[02]\.2, eth[12], weight 1, .*\n {2}\* +via 10\.1\.1[02]\.2, eth[12], weight 1/m.test(
        route.stdout,
      )
        ? route
        : undefined
    })
    expect(table.stdout).toMatch(/^Codes: K - kernel route, C - connected, S - static/)
    expect(table.stdout).toMatch(/^C>\* 10\.1\.5\.0\/24 is directly connected, eth3/m)
    // Both spines' paths to rack1, one best and one multipath; FRR prints the prefix on the first row only, and which
    // path comes first depends on which update arrived first.
    const bgp = await sh('docker exec clab-bgp-leaf0 show ip bgp')
    const paths =
      /^\*([>=]) 10\.1\.8\.0\/24 +10\.1\.1[02]\.2 +0 (?:500|800) 65008 i\n\*([>=]) +10\.1\.1[02]\.2 +0 (?:500|800) 65008 i$/m.exec(
        bgp.stdout,
      )
    expect(paths, bgp.stdout).not.toBeNull()
    expect([paths![1], paths![2]].sort()).toEqual(['=', '>'])
    const summary = await sh('docker exec clab-bgp-leaf0 show bgp summary')
    expect(summary.stdout).toMatch(/^10\.1\.10\.2 +4 +500 /m)
  })

  it("shows interfaces in VyOS's table and the running config in both formats", async () => {
    const interfaces = await sh('docker exec clab-bgp-spine0 show interfaces')
    expect(interfaces.stdout).toContain('Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down\n')
    expect(interfaces.stdout).toMatch(/^eth1 {13}10\.1\.10\.2\/24 {22}u\/u {2}$/m)
    const config = await sh('docker exec clab-bgp-leaf0 show configuration')
    expect(config.stdout).toContain('    bgp 65005 {\n')
    expect(config.stdout).toContain('encrypted-password ****************\n')
    const commands = await sh('docker exec clab-bgp-leaf0 show configuration commands')
    expect(commands.stdout).toContain("set protocols bgp 65005 neighbor 10.1.10.2 remote-as '500'\n")
  })

  it("holds the boot config at /opt/vyatta/etc/config/config.boot, bound to the topology's file", async () => {
    const cat = await sh('docker exec clab-bgp-leaf0 cat /opt/vyatta/etc/config/config.boot')
    expect(cat.stdout).toBe(readFileSync(bootFile(), 'utf8'))
    // Only inside the router's shell: the lab host has no /opt/vyatta.
    expect((await sh('ls /opt/vyatta')).exitCode).not.toBe(0)
  })

  it("refuses what it does not do with the honest answer, and keeps VyOS's wording for a typo", async () => {
    const version = await sh('docker exec clab-bgp-leaf0 show version')
    expect(version).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining("vyos: 'show version' is not available in the twin lab\n"),
    })
    // VyOS has traceroute; the lab host's tools, which the router runs, do not: it says so instead of "not found".
    const traceroute = await sh('docker exec clab-bgp-leaf0 traceroute 10.1.8.1')
    expect(traceroute).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining("traceroute: 'traceroute' is not available in the twin lab\n"),
    })
    const typo = await sh('docker exec clab-bgp-leaf0 show ipp route')
    expect(typo).toMatchObject({ exitCode: 1, stdout: '\n  Invalid command: show [ipp]\n\n' })
  })
})

describe('VyOS configuration mode in a router', () => {
  it("commits a new neighbor to FRR's running config and saves it to config.boot", async () => {
    const session = await sh(
      'docker exec -i clab-bgp-leaf0 bash',
      [
        'configure',
        'set protocols bgp 65005 neighbor 10.1.5.12 remote-as 65005',
        'compare',
        'commit',
        'save',
        'exit',
        '',
      ].join('\n'),
    )
    expect(session.stdout).toBe(
      [
        '[edit protocols bgp 65005]',
        '+neighbor 10.1.5.12 {',
        '+    remote-as 65005',
        '+}',
        "Saving configuration to '/config/config.boot'...",
        'Done',
        '',
      ].join('\n'),
    )
    expect(session.exitCode).toBe(0)
    const running = await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show running-config'`)
    expect(running.stdout).toContain(' neighbor 10.1.5.12 remote-as 65005\n')
    expect(running.stdout).toContain(' neighbor 10.1.5.12 timers connect 1\n')
    const boot = await sh('docker exec clab-bgp-leaf0 cat /opt/vyatta/etc/config/config.boot')
    expect(boot.stdout).toContain(
      '        neighbor 10.1.5.12 {\n            remote-as 65005\n        }\n        neighbor 10.1.10.2 {\n',
    )
    expect(boot.stdout).toContain('/* Release version: 1.2.8 */')
    expect(readFileSync(bootFile(), 'utf8')).toBe(boot.stdout)
  })

  it('takes configure; delete ...; commit in one bash -c, and warns on exit that it is not saved', async () => {
    const session = await sh(
      `docker exec clab-bgp-leaf0 bash -c 'configure; delete protocols bgp 65005 neighbor 10.1.5.12; commit; exit'`,
    )
    expect(session).toMatchObject({ exitCode: 0, stdout: 'Warning: configuration changes have not been saved.\n' })
    const running = await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show running-config'`)
    expect(running.stdout).not.toContain('10.1.5.12')
    // The spine sessions were not touched by the change.
    const summary = JSON.parse((await sh(`docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'`)).stdout) as {
      ipv4Unicast: { peers: Record<string, { state: string }> }
    }
    expect(summary.ipv4Unicast.peers['10.1.10.2'].state).toBe('Established')
  })

  it("refuses to leave with uncommitted changes, answers a bad path in VyOS's words and refuses what it does not apply", async () => {
    const session = await sh(
      `docker exec clab-bgp-leaf0 bash -c 'configure; set protocols bgp 65005 neighbour 10.1.5.12; set interfaces ethernet eth1 mtu 9000; set protocols bgp 65005 address-family ipv4-unicast network 10.1.55.0/24; exit; exit discard; show ip bgp 10.1.55.0/24'`,
    )
    expect(session.stderr).toContain(
      '\n  Configuration path: protocols bgp 65005 [neighbour] is not valid\n  Set failed\n\n',
    )
    expect(session.stderr).toContain("vyos: 'set interfaces' is not available in the twin lab\n")
    expect(session.stdout).toContain(
      "Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.\n",
    )
    expect(session.stdout).toContain('% Network not in table')
  })

  it('shuts a spine session from an edit level, which spine0 and the ECMP route see, and brings it back', async () => {
    type Summary = { ipv4Unicast: { peers: Record<string, { state: string }> } }
    const spineSees = async (state: RegExp) =>
      until(`spine0's session to leaf0 ${state}`, async () => {
        const json = await sh(`docker exec clab-bgp-spine0 vtysh -c 'show bgp summary json'`)
        const peer = (JSON.parse(json.stdout) as Summary).ipv4Unicast.peers['10.1.10.1']
        return state.test(peer.state) ? peer : undefined
      })
    const shut = await sh(
      `docker exec clab-bgp-leaf0 bash -c 'configure; edit protocols bgp 65005; set neighbor 10.1.10.2 shutdown; show neighbor 10.1.10.2; show neighbor 10.1.10.2 remote-as; commit; up; up; up; exit; exit'`,
    )
    expect(shut.stdout).toBe(
      [
        ' remote-as 500',
        '+shutdown',
        ' remote-as 500',
        'Already at the top level',
        'Warning: configuration changes have not been saved.',
        '',
      ].join('\n'),
    )
    await spineSees(/^(Idle|Active|Connect)$/)
    const single = await until('10.1.8.0/24 over spine1 only on leaf0', async () => {
      const route = await sh('docker exec clab-bgp-leaf0 show ip route 10.1.8.0/24')
      return route.stdout.includes('* 10.1.12.2, via eth2') && !route.stdout.includes('10.1.10.2') ? route : undefined
    })
    expect(single.stdout).toContain('Known via "bgp"')
    const back = await sh(
      `docker exec clab-bgp-leaf0 bash -c 'configure; delete protocols bgp 65005 neighbor 10.1.10.2 shutdown; commit; exit'`,
    )
    expect(back.exitCode).toBe(0)
    await spineSees(/^Established$/)
  })

  it('shows the configuration prompt after [edit <level>] in an interactive router shell', async () => {
    const term = spawnPty('ip', ['netns', 'exec', opened.hostNs, 'docker', 'exec', '-it', 'clab-bgp-leaf0', 'bash'], {
      env,
      cwd: opened.lab.workspace,
      cols: 160,
      rows: 40,
    })
    let screen = ''
    term.onData((data) => (screen += data))
    // Bash's bracketed-paste switches (ESC [?2004h / l) sit between the lines; the learner does not see them.
    const visible = () => screen.replace(/\x1b\[\?2004[hl]/g, '')
    const expectScreen = (text: string) =>
      until(`"${text}" on the terminal`, async () => (visible().includes(text) ? true : undefined), {
        timeoutMs: 15_000,
      })
    try {
      await expectScreen('root@leaf0:/# ')
      // A configuration command typed before configure is an invalid op-mode command, not bash's set.
      term.write('set protocols bgp 65005 neighbor 10.1.5.12 remote-as 65005\r')
      await expectScreen('\r\n  Invalid command: set protocols [bgp]\r\n\r\n')
      term.write('configure\r')
      await expectScreen('[edit]\r\nroot@leaf0# ')
      term.write('edit protocols bgp 65005 neighbor 10.1.10.2\r')
      await expectScreen('[edit protocols bgp 65005 neighbor 10.1.10.2]\r\nroot@leaf0# ')
      term.write('up\r')
      await expectScreen('[edit protocols bgp 65005]\r\nroot@leaf0# ')
      term.write('run show ip route 10.1.5.0/24\r')
      await expectScreen('directly connected, eth3\r\n\r\n[edit protocols bgp 65005]\r\nroot@leaf0# ')
      // Below the top, exit goes back to the top level; only there does it leave configuration mode.
      term.write('exit\r')
      await until(
        'the top level again',
        async () => (visible().split('[edit]\r\nroot@leaf0# ').length > 2 ? true : undefined),
        { timeoutMs: 15_000 },
      )
      term.write('exit\r')
      await until(
        'the op-mode prompt again',
        async () => (visible().split('root@leaf0:/# ').length > 2 ? true : undefined),
        { timeoutMs: 15_000 },
      )
      term.write('exit\r')
    } finally {
      term.kill()
    }
  })
})
