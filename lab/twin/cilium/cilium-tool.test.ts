import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import type { KObject } from '../cluster/store.ts'
import { callTool } from '../daemon/call-tool.ts'
import { ciliumTool } from './cilium-tool.ts'
import { CILIUM_COMMANDS } from './commands.ts'

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

  it("fails on a flag only the subcommands have, as cobra parses a group's flags before printing its help", async () => {
    // What cilium-cli execs in each agent for `cilium bgp routes` (cilium-cli/bgp/routes.go): a 1.13 agent has no
    // `bgp routes`, so `-o` reaches the `bgp` group, which has no such flag.
    const out = await call(['bgp', 'routes', 'available', 'ipv4', 'unicast', '-o', 'json'])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toMatch(/^Error: unknown shorthand flag: 'o' in -o\nUsage:\n {2}cilium bgp \[command\]\n/)
    expect(out.stderr).toMatch(/Use "cilium bgp \[command\] --help" for more information about a command\.\n\n$/)
    expect(out.stdout).toBe("unknown shorthand flag: 'o' in -o\n")
    const long = await call(['service', '--output=json'])
    expect([long.exitCode, long.stdout]).toEqual([1, 'unknown flag: --output\n'])
  })

  it('fails like the real client when no agent runs for the node it is called on', async () => {
    const status = await call(['status'])
    expect(status.exitCode).toBe(1)
    expect(status.stderr).toBe(
      'Get "http://localhost/v1/healthz": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory\nIs the agent running?\n',
    )
    const peers = await call(['bgp', 'peers'])
    expect(peers.stderr).toMatch(/^Error: cannot get peers list: Get "http:\/\/localhost\/v1\/bgp\/peers": dial unix/)
    const nodes = await call(['node', 'list'])
    expect([nodes.exitCode, nodes.stderr]).toEqual([
      1,
      'Get "http://localhost/v1/cluster/nodes": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory\nIs the agent running?\n',
    ])
    const endpoints = await call(['endpoint', 'list'])
    expect([endpoints.exitCode, endpoints.stderr]).toEqual([
      1,
      'Error: cannot get endpoint list: Get "http://localhost/v1/endpoint": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory\n\n',
    ])
  })

  it('refuses a flag it would otherwise ignore', async () => {
    const out = await call(['status', '-H', 'unix:///other.sock'])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toMatch(/^cilium: 'status -H' is not available in the twin lab/)
  })

  it('answers every emulated command, and refuses every other real one with what to use instead', async () => {
    for (const command of CILIUM_COMMANDS.emulated) {
      const out = await call([command])
      expect(out.stderr, command).not.toContain('not available in the twin lab')
    }
    for (const [command, instead] of Object.entries(CILIUM_COMMANDS.notEmulated)) {
      const out = await call([command])
      expect([out.exitCode, out.stderr], command).toEqual([
        1,
        `cilium: '${command}' is not available in the twin lab\n${instead}\n`,
      ])
    }
  })

  it('prints the client version and a daemon that does not respond when no agent runs for the node', async () => {
    fake.createKindCluster({ cilium: true })
    fake.cluster.store.create(ciliumConfig)
    const out = await call(['version'])
    expect([out.exitCode, out.stdout]).toEqual([0, 'Client: 1.13.0-rc5\nDaemon: Not responding\n'])
  })

  describe('with an agent on the node', () => {
    const NODE = 'clab-bgp-control-plane'
    const inPod = (argv: string[]) =>
      callTool(ciliumTool, fake.lab, argv, { cwd: fake.dir, env: { K8S_NODE_NAME: NODE } })
    const agent = (node: string, image: string) =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `cilium-${node.slice(-3)}`, namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } },
        spec: { nodeName: node, hostNetwork: true, containers: [{ name: 'cilium-agent', image }] },
        status: { phase: 'Running', podIP: '10.1.5.10' },
      }) as KObject
    const ciliumNode = (name: string, ip: string, cidr: string) =>
      ({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNode',
        metadata: { name },
        spec: { addresses: [{ type: 'InternalIP', ip }], ipam: { podCIDRs: [cidr] } },
      }) as KObject

    const setUp = (image = 'quay.io/cilium/cilium:v1.13.0-rc5') => {
      fake.createKindCluster({
        cilium: true,
        nodes: [
          { name: NODE, role: 'control-plane', labels: { rack: 'rack0' } },
          { name: 'clab-bgp-worker', role: 'worker', labels: { rack: 'rack0' } },
        ],
      })
      const { store } = fake.cluster
      store.create(ciliumConfig)
      store.create(agent(NODE, image))
      store.create(ciliumNode('clab-bgp-worker', '10.1.5.11', '10.98.1.0/24'))
      store.create(ciliumNode(NODE, '10.1.5.10', '10.98.0.0/24'))
      store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'cni-8cnm5', namespace: 'default', labels: { app: 'cni' } },
        spec: { nodeName: NODE, containers: [{ name: 'cni', image: 'nginx' }] },
        status: { phase: 'Running', podIP: '10.98.0.18' },
      } as KObject)
    }

    it('cilium node list prints every CiliumNode by name, with its address and pod CIDR', async () => {
      setUp()
      const out = await inPod(['node', 'list'])
      expect([out.exitCode, out.stdout]).toEqual([
        0,
        'Name                     IPv4 Address   Endpoint CIDR   IPv6 Address   Endpoint CIDR\n' +
          `${NODE}   10.1.5.10      10.98.0.0/24                   \n` +
          'clab-bgp-worker          10.1.5.11      10.98.1.0/24                   \n',
      ])
      expect((await inPod(['node', 'ls'])).stdout).toBe(out.stdout)
    })

    it("cilium endpoint list shows the node's host endpoint and its pod, as ready endpoints without policy", async () => {
      setUp()
      const out = await inPod(['endpoint', 'list'])
      expect(out.exitCode).toBe(0)
      const lines = out.stdout.split('\n')
      expect(lines[0]).toMatch(
        /^ENDPOINT {3}POLICY \(ingress\) {3}POLICY \(egress\) {3}IDENTITY {3}LABELS \(source:key\[=value\]\) +IPv6 {3}IPv4 +STATUS {3}$/,
      )
      expect(lines[1]).toMatch(/^ {11}ENFORCEMENT {8}ENFORCEMENT +$/)
      expect(out.stdout).toMatch(/^\d+ +Disabled +Disabled +1 +k8s:node-role\.kubernetes\.io\/control-plane +ready +$/m)
      expect(out.stdout).toMatch(/^ +reserved:host +$/m)
      expect(out.stdout).toMatch(/^\d+ +Disabled +Disabled +\d{3,5} +k8s:app=cni +10\.98\.0\.18 +ready +$/m)
      expect(out.stdout).toMatch(/^ +k8s:io\.kubernetes\.pod\.namespace=default +$/m)
      // Without the header the same rows, aligned to their own widths.
      const cells = (text: string) => text.split('\n').map((line) => line.trim().split(/ {2,}/))
      const bare = await inPod(['endpoint', 'ls', '--no-headers'])
      expect(cells(bare.stdout)).toEqual(cells(lines.slice(2).join('\n')))
    })

    it("cilium version prints the release of the node's agent image for client and daemon", async () => {
      setUp()
      expect((await inPod(['version'])).stdout).toBe('Client: 1.13.0-rc5\nDaemon: 1.13.0-rc5\n')
    })

    it('cilium version follows the agent image to 1.18 after the chapter 9 upgrade', async () => {
      setUp('quay.io/cilium/cilium:v1.18.2')
      expect((await inPod(['version'])).stdout).toBe('Client: 1.18.2\nDaemon: 1.18.2\n')
    })

    it('prints the group help for no subcommand, refuses the real ones the twin does not do, and -o', async () => {
      setUp()
      const help = await inPod(['endpoint'])
      expect([help.exitCode, help.stdout]).toEqual([0, expect.stringContaining('  cilium endpoint [command]\n')])
      expect(help.stdout).toContain('  regenerate  Force regeneration of endpoint program\n')
      const get = await inPod(['endpoint', 'get', '171'])
      expect([get.exitCode, get.stderr]).toEqual([
        1,
        expect.stringMatching(/^cilium: 'endpoint get' is not available in the twin lab\n/),
      ])
      const json = await inPod(['node', 'list', '-o', 'json'])
      expect([json.exitCode, json.stderr]).toEqual([
        1,
        expect.stringMatching(/^cilium: 'node list -o' is not available/),
      ])
    })
  })
})

const ciliumConfig = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cilium-config', namespace: 'kube-system' },
  data: { 'cluster-name': 'default', 'enable-bgp-control-plane': 'true', ipam: 'kubernetes' },
} as KObject
