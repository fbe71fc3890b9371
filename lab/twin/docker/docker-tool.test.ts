import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { Cluster, registerCluster, unregisterCluster } from '../cluster/cluster.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import type { ToolIO, ToolResult } from '../daemon/tool.ts'
import { dockerTool } from './docker-tool.ts'

// Entering a container's namespaces needs a running lab (container-root.lab.test.ts): here, the prefix names it.
vi.mock('../container/container-root.ts', async (original) => ({
  ...(await original<object>()),
  enterContainer: async (_lab: unknown, spec: { key: string; hostname: string; image: string }) => [
    'enter',
    spec.key,
    spec.hostname,
    spec.image,
  ],
  containerPtmx: async (_lab: unknown, spec: { key: string }) => `/${spec.key}/dev/pts/ptmx`,
}))

/**
 * docker's answers over a lab whose containers are given directly: no namespaces are touched; `ip` answers what the
 * lab's namespaces would (the control plane's eth0 on the kind network, whose bridge exists).
 */
const now = Date.now()
let containers: Map<string, ContainerInfo>
const eth0 = JSON.stringify([
  {
    ifname: 'eth0',
    address: '02:42:ac:12:00:02',
    addr_info: [
      { family: 'inet', local: '172.18.0.2', prefixlen: 16, scope: 'global' },
      { family: 'inet6', local: 'fc00:f853:ccd:e793::2', prefixlen: 64, scope: 'global' },
    ],
  },
])
async function run(argv: string[], options: { ns?: string } = {}) {
  const command = argv.join(' ')
  const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' })
  if (command === 'ip -j addr show dev eth0' && options.ns === 'tw0001-clab-bgp-control-plane') return ok(eth0)
  if (/^ip -n tw0001-host link show dev br-/.test(command))
    return command.endsWith(`br-${kindBridge}`) ? ok('') : { exitCode: 1, stdout: '', stderr: 'does not exist' }
  if (command.startsWith('ip netns pids')) return ok('4242\n')
  if (command === 'ip -j link show') return ok('[]')
  return { exitCode: 1, stdout: '', stderr: 'Device "eth0" does not exist.' }
}
const kindBridge = createHash('sha256').update('kind').digest('hex').slice(0, 12)
const runDir = mkdtempSync(join(tmpdir(), 'docker-tool-'))
const lab = {
  id: 'tw0001',
  ns: (device: string) => `tw0001-${device}`,
  get containers() {
    return containers
  },
  runDir,
  run,
  events: new EventEmitter(),
} as unknown as TwinContext

beforeEach(() => {
  containers = new Map<string, ContainerInfo>([
    [
      'clab-bgp-control-plane',
      {
        name: 'clab-bgp-control-plane',
        image: 'kindest/node:v1.23.4',
        ns: 'tw0001-clab-bgp-control-plane',
        kind: 'kind-node',
        createdAt: now - 300_000,
        labels: { 'io.x-k8s.kind.cluster': 'clab-bgp', 'io.x-k8s.kind.role': 'control-plane' },
      },
    ],
    [
      'clab-bgp-leaf0',
      {
        name: 'clab-bgp-leaf0',
        image: 'vyos/vyos:1.2.8',
        ns: 'tw0001-clab-bgp-leaf0',
        kind: 'router',
        createdAt: now - 60_000,
        labels: { containerlab: 'bgp', 'clab-node-name': 'leaf0' },
      },
    ],
  ])
})
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

async function docker(argv: string[], tty = false): Promise<{ result: ToolResult; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: ToolIO = {
    argv,
    cwd: '/',
    env: { TERM: 'xterm-256color' },
    // As the shim sends it: null for a terminal, else what it read (nothing here).
    stdin: tty ? null : '',
    tty,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  }
  const result = await dockerTool(io, lab)
  return { result, stdout, stderr }
}

describe('docker on the twin', () => {
  it("prints the names the seed's install.sh loops over", async () => {
    const { stdout } = await docker(['ps', '-a', '--format', 'table {{.Names}}'])
    expect(stdout).toBe('NAMES\nclab-bgp-leaf0\nclab-bgp-control-plane\n')
  })

  it("prints the default table, newest first, with docker's durations", async () => {
    const lines = (await docker(['ps'])).stdout.split('\n')
    // Columns as wide as their widest cell plus 3 spaces; the empty PORTS column keeps its header's width.
    expect(lines[0]).toBe(
      'CONTAINER ID   IMAGE                  COMMAND                  CREATED              STATUS              PORTS                      NAMES',
    )
    expect(lines[1]).toMatch(
      /^[0-9a-f]{12} {3}vyos\/vyos:1\.2\.8 {8}"\/sbin\/init" {13}About a minute ago {3}Up About a minute {30}clab-bgp-leaf0$/,
    )
    // kind's control plane publishes its API server on the host's loopback, as docker ps shows it.
    expect(lines[2]).toContain(
      '"/usr/local/bin/entr…"   5 minutes ago        Up 5 minutes        127.0.0.1:6443->6443/tcp   clab-bgp-control-plane',
    )
  })

  it("enters a router with its vtysh on PATH and the container's own environment", async () => {
    const { result } = await docker(['exec', 'clab-bgp-leaf0', 'vtysh', '-c', 'show ip bgp'])
    expect(result).toEqual({
      execLocal: [
        'enter',
        'clab-bgp-leaf0',
        'leaf0',
        'vyos/vyos:1.2.8',
        'sh',
        '-c',
        // No -i: an empty stdin, as docker attaches none.
        'exec 0</dev/null && shift 0 && exec "$@"',
        'sh',
        'env',
        '-i',
        '-C',
        '/',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'HOME=/root',
        'HOSTNAME=leaf0',
        'vtysh',
        '-c',
        'show ip bgp',
      ],
    })
  })

  it('answers as the daemon does when the command is not in the container (exit 126)', async () => {
    expect(await docker(['exec', 'clab-bgp-leaf0', 'no-such-binary'])).toMatchObject({
      result: { exitCode: 126 },
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-binary": executable file not found in $PATH: unknown\n',
    })
    expect(await docker(['exec', 'clab-bgp-leaf0', '/opt/nothing/here'])).toMatchObject({
      result: { exitCode: 126 },
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "/opt/nothing/here": stat /opt/nothing/here: no such file or directory: unknown\n',
    })
  })

  it('connects a command as docker 24 attaches it: a pty of the container with -t, a pipe from a terminal with -i', async () => {
    const connection = async (flags: string[], tty: boolean) => {
      const { result } = await docker(['exec', ...flags, 'clab-bgp-control-plane', 'sh'], tty)
      if (!('execLocal' in result)) throw new Error(`no exec: ${JSON.stringify(result)}`)
      const argv = result.execLocal
      const enter = argv.indexOf('enter')
      return { attach: argv.slice(0, enter).slice(2), inside: argv.slice(argv.indexOf('sh', enter + 5) + 1) }
    }
    // -it on a terminal: the container's new pty, the caller's input on it, the shell leading its session there.
    expect(await connection(['-it'], true)).toMatchObject({
      attach: ['/clab-bgp-control-plane/dev/pts/ptmx', '1', '', '--'],
      // The daemon's TERM for an exec with a tty, not the caller's (xterm-256color in the course's terminals).
      inside: expect.arrayContaining(['setsid', '-w', '-c', 'env', 'TERM=xterm']),
    })
    // -t alone needs no terminal (CheckTty only refuses -it), and its pty gets no input.
    expect(await connection(['-t'], false)).toMatchObject({
      attach: ['/clab-bgp-control-plane/dev/pts/ptmx', '', '', '--'],
    })
    // -i on a terminal: no tty in the container, the terminal's lines through a pipe.
    expect((await connection(['-i'], true)).attach).toEqual(['', '1', '', '--'])
    // Piped input with -i, and no flag at all, stay as they were: the shim hands the input over itself.
    expect((await connection(['-i'], false)).attach).toEqual([])
    expect(await connection([], true)).toMatchObject({ attach: [], inside: expect.not.arrayContaining(['TERM=xterm']) })
  })

  it('answers like docker for unknown containers, missing TTYs and unknown commands', async () => {
    expect(await docker(['exec', 'clab-bgp-leaf9', 'ip', 'r'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: 'Error: No such container: clab-bgp-leaf9\n',
    })
    expect(await docker(['exec', '-it', 'clab-bgp-leaf0', 'bash'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: 'the input device is not a TTY\n',
    })
    expect(await docker(['pul', 'alpine'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: "docker: 'pul' is not a docker command.\nSee 'docker --help'\n",
    })
    expect(await docker(['ps', '--bogus'])).toMatchObject({
      result: { exitCode: 125 },
      stderr: "unknown flag: --bogus\nSee 'docker ps --help'.\n",
    })
    expect(await docker(['--bogus', 'ps'])).toMatchObject({
      result: { exitCode: 125 },
      stderr: "unknown flag: --bogus\nSee 'docker --help'.\n",
    })
  })

  it("answers docker's real commands and flags it does not emulate with the limit and what to use, exit 1", async () => {
    const limit = (what: string) => ({
      result: { exitCode: 1 },
      stdout: '',
      stderr: expect.stringMatching(new RegExp(`^docker: '${what}' is not available in the twin lab\\n\\S.*\\n$`)),
    })
    expect(await docker(['pull', 'alpine'])).toEqual(limit('pull'))
    expect(await docker(['logs', 'clab-bgp-control-plane'])).toEqual(limit('logs clab-bgp-control-plane'))
    expect(await docker(['network', 'create', 'x'])).toEqual(limit('network create'))
    expect(await docker(['image', 'rm', 'alpine'])).toEqual(limit('image rm'))
    expect(await docker(['container', 'rm', 'clab-bgp-leaf0'])).toEqual(limit('container rm'))
    expect(await docker(['ps', '--filter', 'network=kind'])).toEqual(limit('ps --filter network'))
    expect(await docker(['exec', '-d', 'clab-bgp-leaf0', 'sleep', '9'])).toEqual(limit('exec --detach'))
    expect(await docker(['exec', '-u', 'frr', 'clab-bgp-leaf0', 'id'])).toEqual(limit('exec --user frr'))
    expect(await docker(['-H', 'tcp://10.0.0.1:2375', 'ps'])).toEqual(limit('-H'))
    expect(await docker(['inspect', '--type', 'image', 'alpine'])).toEqual(limit('inspect --type image'))
  })

  it('honours the flags it accepts: -aq, --no-trunc, container ls, exec -u root', async () => {
    expect((await docker(['ps', '-aq'])).stdout).toMatch(/^[0-9a-f]{12}\n[0-9a-f]{12}\n$/)
    expect((await docker(['ps', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout).toMatch(
      /^[0-9a-f]{64} "\/sbin\/init"\n[0-9a-f]{64} "\/usr\/local\/bin\/entrypoint \/sbin\/init"\n$/,
    )
    expect((await docker(['container', 'ls', '--format', '{{.Names}}'])).stdout).toBe(
      'clab-bgp-leaf0\nclab-bgp-control-plane\n',
    )
    expect((await docker(['exec', '--user=root', '-e', 'A=1', 'clab-bgp-leaf0', 'env'])).result).toMatchObject({
      execLocal: expect.arrayContaining(['A=1', 'env']),
    })
  })

  it('filters ps as the daemon does: names and ids as regexes, labels, status (stopped ones too), ancestor', async () => {
    const names = async (...filters: string[]) =>
      (await docker(['ps', ...filters.flatMap((f) => ['-f', f]), '--format', '{{.Names}}'])).stdout
    expect(await names('name=leaf')).toBe('clab-bgp-leaf0\n')
    expect(await names('name=^/clab-bgp-c')).toBe('clab-bgp-control-plane\n')
    expect(await names('label=containerlab')).toBe('clab-bgp-leaf0\n')
    expect(await names('label=io.x-k8s.kind.role=control-plane')).toBe('clab-bgp-control-plane\n')
    expect(await names('label=io.x-k8s.kind.role=worker')).toBe('')
    expect(await names('ancestor=vyos/vyos:1.2.8')).toBe('clab-bgp-leaf0\n')
    expect(await names('ancestor=vyos/vyos')).toBe('')
    // Values of one key are alternatives; different keys must all match.
    expect(await names('name=leaf0', 'name=control')).toBe('clab-bgp-leaf0\nclab-bgp-control-plane\n')
    expect(await names('name=leaf0', 'label=io.x-k8s.kind.role')).toBe('')
    expect(await names('status=running')).toBe('clab-bgp-leaf0\nclab-bgp-control-plane\n')
    expect(await names('status=exited')).toBe('')
    expect(await docker(['ps', '-f', 'bogus=1'])).toEqual({
      result: { exitCode: 1 },
      stdout: '',
      stderr: "Error response from daemon: invalid filter 'bogus'\n",
    })
    expect(await docker(['ps', '-f', 'status=up'])).toMatchObject({
      stderr: "Error response from daemon: invalid filter 'status=up'\n",
    })
    expect(await docker(['ps', '-f', 'leaf0'])).toMatchObject({
      result: { exitCode: 125 },
      stderr: `invalid argument "leaf0" for "-f, --filter" flag: bad format of filter (expected name=value)\nSee 'docker ps --help'.\n`,
    })
  })

  it('refuses docker cp with the reason', async () => {
    const { result, stderr } = await docker(['cp', 'a.txt', 'clab-bgp-leaf0:/tmp/'])
    expect(result).toEqual({ exitCode: 1 })
    expect(stderr).toContain("share this machine's filesystem")
  })
})

describe('docker stop, start and ps -a', () => {
  it('lists a stopped router only with -a, as Exited (0) since it stopped', async () => {
    expect(await docker(['stop', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 0 },
      stdout: 'clab-bgp-leaf0\n',
      stderr: '',
    })
    expect((await docker(['ps', '--format', '{{.Names}}'])).stdout).toBe('clab-bgp-control-plane\n')
    expect((await docker(['ps', '-a', '--format', '{{.Names}} {{.State}} {{.Status}}'])).stdout).toBe(
      'clab-bgp-leaf0 exited Exited (0) Less than a second ago\nclab-bgp-control-plane running Up 5 minutes\n',
    )
    expect(await docker(['exec', 'clab-bgp-leaf0', 'ip', 'r'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(/^Error response from daemon: Container [0-9a-f]{64} is not running\n$/),
    })
    expect(
      (await docker(['inspect', '-f', '{{.State.Status}} {{.State.Running}} {{.State.Pid}}', 'clab-bgp-leaf0'])).stdout,
    ).toBe('exited false 0\n')
    expect(await docker(['start', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 0 },
      stdout: 'clab-bgp-leaf0\n',
    })
    expect((await docker(['ps', '--format', '{{.Names}} {{.Status}}'])).stdout).toBe(
      'clab-bgp-leaf0 Up Less than a second\nclab-bgp-control-plane Up 5 minutes\n',
    )
  })

  it('answers like docker for unknown containers, missing names and unknown flags; restart of a stopped one starts it', async () => {
    expect(await docker(['stop', 'clab-bgp-leaf9', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 1 },
      stdout: 'clab-bgp-leaf0\n',
      stderr: 'Error response from daemon: No such container: clab-bgp-leaf9\n',
    })
    expect(await docker(['restart', '-t', '1', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 0 },
      stdout: 'clab-bgp-leaf0\n',
    })
    expect((await docker(['ps', '-a', '--format', '{{.State}}'])).stdout).toBe('running\nrunning\n')
    expect(await docker(['start'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(/^"docker start" requires at least 1 argument\./),
    })
    expect(await docker(['stop', '--frob', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 125 },
      stderr: "unknown flag: --frob\nSee 'docker stop --help'.\n",
    })
  })
})

describe('docker stop and start of a kind node', () => {
  it('stops it as docker does a kind node (Exited (137): systemd outlasts the timeout) and starts it again', async () => {
    const cluster = new Cluster(lab, [])
    registerCluster(cluster)
    try {
      expect(await docker(['stop', 'clab-bgp-control-plane'])).toMatchObject({
        result: { exitCode: 0 },
        stdout: 'clab-bgp-control-plane\n',
        stderr: '',
      })
      expect((await docker(['ps', '-a', '--format', '{{.Names}} {{.Status}} [{{.Ports}}]'])).stdout).toBe(
        'clab-bgp-leaf0 Up About a minute []\nclab-bgp-control-plane Exited (137) Less than a second ago []\n',
      )
      expect(
        (await docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'clab-bgp-control-plane'])).stdout,
      ).toBe('exited 137\n')
      expect((await docker(['start', 'clab-bgp-control-plane'])).stdout).toBe('clab-bgp-control-plane\n')
      expect((await docker(['ps', '--format', '{{.Names}} {{.Ports}}'])).stdout).toBe(
        'clab-bgp-leaf0 \nclab-bgp-control-plane 127.0.0.1:6443->6443/tcp\n',
      )
      expect(
        (await docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'clab-bgp-control-plane'])).stdout,
      ).toBe('running 0\n')
    } finally {
      await cluster.stop()
      unregisterCluster(cluster)
    }
  })

  it("refuses a server, which shares its kind node's namespace, naming the node to stop instead", async () => {
    containers.set('clab-bgp-server1', {
      name: 'clab-bgp-server1',
      image: 'nicolaka/netshoot:v0.13',
      ns: 'tw0001-clab-bgp-control-plane',
      kind: 'host-sharing',
      createdAt: now - 60_000,
      labels: { containerlab: 'bgp', 'clab-node-name': 'server1' },
    })
    expect(await docker(['stop', 'clab-bgp-server1'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(
        /^docker: 'stop clab-bgp-server1' is not available in the twin lab\nA server shares its kind node's network namespace: docker stop the kind node/,
      ),
    })
  })
})

describe('docker inspect templates', () => {
  it("answers the usual -f templates from the lab's addresses", async () => {
    const inspect = async (template: string, name = 'clab-bgp-control-plane') =>
      (await docker(['inspect', '-f', template, name])).stdout
    expect(await inspect('{{.State.Status}}')).toBe('running\n')
    expect(await inspect('{{.NetworkSettings.Networks.kind.IPAddress}}')).toBe('172.18.0.2\n')
    expect(
      await inspect('{{range .NetworkSettings.Networks}}{{.IPAddress}}/{{.IPPrefixLen}} via {{.Gateway}}{{end}}'),
    ).toBe('172.18.0.2/16 via 172.18.0.1\n')
    expect(await inspect('{{.Config.Image}} {{.Name}}')).toBe('kindest/node:v1.23.4 /clab-bgp-control-plane\n')
    expect(await inspect('{{json .NetworkSettings.Ports}}')).toBe(
      '{"6443/tcp":[{"HostIp":"127.0.0.1","HostPort":"6443"}]}\n',
    )
    // A router without an eth0 has no network: range prints nothing, as over an empty map.
    expect(await inspect('[{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}]', 'clab-bgp-leaf0')).toBe('[]\n')
  })
})

describe('docker network', () => {
  it("lists docker's own networks and the lab's that exist", async () => {
    const { result, stdout } = await docker(['network', 'ls'])
    expect(result).toEqual({ exitCode: 0 })
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('NETWORK ID     NAME      DRIVER    SCOPE')
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1).join(' '))).toEqual([
      'bridge bridge local',
      'host host local',
      'kind bridge local',
      'none null local',
    ])
    expect(lines[3]).toMatch(new RegExp(`^${kindBridge} {3}kind`))
  })

  it('inspects a network with its subnet, gateway and containers', async () => {
    const [kind] = JSON.parse((await docker(['network', 'inspect', 'kind'])).stdout)
    expect(kind).toMatchObject({
      Name: 'kind',
      Driver: 'bridge',
      EnableIPv6: true,
      IPAM: { Config: [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }] },
    })
    expect(Object.values(kind.Containers)).toEqual([
      {
        Name: 'clab-bgp-control-plane',
        EndpointID: expect.stringMatching(/^[0-9a-f]{64}$/),
        MacAddress: '02:42:ac:12:00:02',
        IPv4Address: '172.18.0.2/16',
        IPv6Address: 'fc00:f853:ccd:e793::2/64',
      },
    ])
    expect(
      (await docker(['network', 'inspect', '-f', '{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}', 'kind']))
        .stdout,
    ).toBe('clab-bgp-control-plane 172.18.0.2/16\n')
    expect(await docker(['network', 'inspect', 'clab'])).toMatchObject({
      result: { exitCode: 1 },
      stdout: '[]\n',
      stderr: 'Error response from daemon: network clab not found\n',
    })
  })
})

describe('docker images and logs', () => {
  it("lists the images of the lab's containers with docker's columns", async () => {
    const lines = (await docker(['images'])).stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$/)
    expect(
      lines.slice(1).map((line) =>
        line
          .split(/\s{3,}/)
          .slice(0, 2)
          .join(':'),
      ),
    ).toEqual(['kindest/node:v1.23.4', 'vyos/vyos:1.2.8'])
    expect(lines[1]).toMatch(/^kindest\/node +v1\.23\.4 +[0-9a-f]{12} +\d+ years ago +1\.46GB$/)
    expect((await docker(['image', 'ls', '-q', 'vyos/vyos'])).stdout).toMatch(/^[0-9a-f]{12}\n$/)
  })

  it("prints a router's FRR log in time order, the end of it with --tail", async () => {
    mkdirSync(join(runDir, 'logs'), { recursive: true })
    writeFileSync(
      join(runDir, 'logs', 'clab-bgp-leaf0-zebra.log'),
      '2024/05/01 10:00:00 ZEBRA: [A] zebra starting\n2024/05/01 10:00:02 ZEBRA: [B] route added\n',
    )
    writeFileSync(join(runDir, 'logs', 'clab-bgp-leaf0-bgpd.log'), '2024/05/01 10:00:01 BGP: [C] bgpd starting\n')
    expect(await docker(['logs', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 0 },
      stdout:
        '2024/05/01 10:00:00 ZEBRA: [A] zebra starting\n2024/05/01 10:00:01 BGP: [C] bgpd starting\n2024/05/01 10:00:02 ZEBRA: [B] route added\n',
    })
    expect((await docker(['logs', '--tail', '1', 'clab-bgp-leaf0'])).stdout).toBe(
      '2024/05/01 10:00:02 ZEBRA: [B] route added\n',
    )
    expect(await docker(['logs', 'nope'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: 'Error response from daemon: No such container: nope\n',
    })
  })
})

describe("docker's command lines, read as docker's pflag reads them", () => {
  const flagError = (message: string, command: string) => ({
    result: { exitCode: 125 },
    stdout: '',
    stderr: `${message}\nSee 'docker ${command} --help'.\n`,
  })

  it('ps: booleans together in any order, --format=X, and a --format of its own over -q wherever it comes', async () => {
    expect((await docker(['ps', '-qa'])).stdout).toMatch(/^[0-9a-f]{12}\n[0-9a-f]{12}\n$/)
    expect((await docker(['ps', '-a', '--format={{.Names}}'])).stdout).toBe('clab-bgp-leaf0\nclab-bgp-control-plane\n')
    expect((await docker(['ps', '--format={{.Names}}', '-q'])).stdout).toBe('clab-bgp-leaf0\nclab-bgp-control-plane\n')
    expect((await docker(['ps', '--format', 'table', '-q'])).stdout).toMatch(/^[0-9a-f]{12}\n[0-9a-f]{12}\n$/)
  })

  it("ps: docker's answers to a value-less flag, an unknown letter in a group, a name and --filter's value", async () => {
    expect(await docker(['ps', '--format'])).toEqual(flagError('flag needs an argument: --format', 'ps'))
    expect(await docker(['ps', '-ax'])).toEqual(flagError("unknown shorthand flag: 'x' in -ax", 'ps'))
    expect(await docker(['ps', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(/^"docker ps" accepts no arguments\.\nSee 'docker ps --help'\.\n/),
    })
    // -f takes the next word: the filter, not a container name.
    expect(await docker(['ps', '-af', 'name=leaf', '--format', '{{.Names}}'])).toMatchObject({
      result: { exitCode: 0 },
      stdout: 'clab-bgp-leaf0\n',
    })
  })

  it('logs: -nN, -n N, --tail=N and a value-less --tail', async () => {
    mkdirSync(join(runDir, 'logs'), { recursive: true })
    writeFileSync(
      join(runDir, 'logs', 'clab-bgp-leaf0-zebra.log'),
      '2024/05/01 10:00:00 ZEBRA: one\n2024/05/01 10:00:02 ZEBRA: two\n',
    )
    writeFileSync(join(runDir, 'logs', 'clab-bgp-leaf0-bgpd.log'), '')
    for (const argv of [['-n1'], ['-n', '1'], ['--tail=1'], ['--details', '--tail', '1']])
      expect(await docker(['logs', ...argv, 'clab-bgp-leaf0'])).toMatchObject({
        result: { exitCode: 0 },
        stdout: '2024/05/01 10:00:02 ZEBRA: two\n',
      })
    expect(await docker(['logs', 'clab-bgp-leaf0', '--tail'])).toEqual(
      flagError('flag needs an argument: --tail', 'logs'),
    )
    expect(await docker(['logs', '-tf', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(/^docker: 'logs --timestamps' is not available in the twin lab\n/),
    })
  })

  it('inspect: -fTEMPLATE, -f=TEMPLATE, --format=TEMPLATE, --type=container and names before the flags', async () => {
    for (const argv of [
      ['-f{{.Name}}', 'clab-bgp-leaf0'],
      ['-f={{.Name}}', 'clab-bgp-leaf0'],
      ['--format={{.Name}}', '--type=container', 'clab-bgp-leaf0'],
      ['clab-bgp-leaf0', '--format', '{{.Name}}'],
    ])
      expect(await docker(['inspect', ...argv])).toEqual({
        result: { exitCode: 0 },
        stdout: '/clab-bgp-leaf0\n',
        stderr: '',
      })
    expect(await docker(['inspect', '-sf', '{{.Name}}', 'clab-bgp-leaf0'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(/^docker: 'inspect --size' is not available in the twin lab\n/),
    })
    expect(await docker(['inspect', '--bogus=1', 'clab-bgp-leaf0'])).toEqual(
      flagError('unknown flag: --bogus', 'inspect'),
    )
  })

  it("exec: flags end at the container, -ie VALUE together, -- before the container; the command's own flags are its", async () => {
    for (const argv of [
      ['-ie', 'A=1', 'clab-bgp-leaf0'],
      ['--env=A=1', '--', 'clab-bgp-leaf0'],
    ])
      expect((await docker(['exec', ...argv, 'ip', '-4', '-e', 'r'])).result).toMatchObject({
        execLocal: expect.arrayContaining(['A=1', 'ip', '-4', '-e', 'r']),
      })
    expect(await docker(['exec', '-x', 'clab-bgp-leaf0', 'ip', 'r'])).toEqual(
      flagError("unknown shorthand flag: 'x' in -x", 'exec'),
    )
  })

  it("docker's own options end at the command; --help of a command is refused with what it takes", async () => {
    expect(await docker(['-D', 'ps', '-a'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(/^docker: '-D' is not available in the twin lab\n/),
    })
    expect(await docker(['--help'])).toMatchObject({
      result: { exitCode: 0 },
      stdout: expect.stringMatching(/^Usage:/),
    })
    expect(await docker(['ps', '--help'])).toMatchObject({
      result: { exitCode: 1 },
      stderr: expect.stringMatching(
        /^docker: 'ps --help' is not available in the twin lab\nThe twin's docker ps takes -a, -q/,
      ),
    })
  })
})
