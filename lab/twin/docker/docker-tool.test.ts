import { describe, expect, it } from 'vitest'
import type { ContainerInfo, TwinContext } from '../context.ts'
import type { ToolIO, ToolResult } from '../daemon/tool.ts'
import { dockerTool } from './docker-tool.ts'

/** docker's answers over a lab whose containers are given directly (no namespaces are touched by ps/exec/cp). */
const now = Date.now()
const containers = new Map<string, ContainerInfo>([
  ['clab-bgp-control-plane', { name: 'clab-bgp-control-plane', image: 'kindest/node:v1.23.4', ns: 'tw0001-clab-bgp-control-plane', kind: 'kind-node', createdAt: now - 300_000, labels: {} }],
  ['clab-bgp-leaf0', { name: 'clab-bgp-leaf0', image: 'vyos/vyos:1.2.8', ns: 'tw0001-clab-bgp-leaf0', kind: 'router', createdAt: now - 60_000, labels: { containerlab: 'bgp', 'clab-node-name': 'leaf0' } }],
])
const lab = { containers, runDir: '/run/bgplab/tw0001' } as unknown as TwinContext

async function docker(argv: string[], tty = false): Promise<{ result: ToolResult; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: ToolIO = { argv, cwd: '/', env: { TERM: 'xterm' }, stdin: null, tty, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }
  const result = await dockerTool(io, lab)
  return { result, stdout, stderr }
}

describe('docker on the twin', () => {
  it('prints the names the seed\'s install.sh loops over', async () => {
    const { stdout } = await docker(['ps', '-a', '--format', 'table {{.Names}}'])
    expect(stdout).toBe('NAMES\nclab-bgp-leaf0\nclab-bgp-control-plane\n')
  })

  it('prints the default table, newest first, with docker\'s durations', async () => {
    const lines = (await docker(['ps'])).stdout.split('\n')
    // Columns as wide as their widest cell plus 3 spaces; the empty PORTS column keeps its header's width.
    expect(lines[0]).toBe('CONTAINER ID   IMAGE                  COMMAND                  CREATED              STATUS              PORTS   NAMES')
    expect(lines[1]).toMatch(/^[0-9a-f]{12} {3}vyos\/vyos:1\.2\.8 {8}"\/sbin\/init" {13}About a minute ago {3}Up About a minute {11}clab-bgp-leaf0$/)
    expect(lines[2]).toContain('"/usr/local/bin/entr…"   5 minutes ago')
  })

  it('enters a router with its vtysh on PATH and the container\'s own environment', async () => {
    const { result } = await docker(['exec', 'clab-bgp-leaf0', 'vtysh', '-c', 'show ip bgp'])
    expect(result).toEqual({
      execLocal: ['ip', 'netns', 'exec', 'tw0001-clab-bgp-leaf0', 'unshare', '--uts', 'sh', '-c',
        'hostname "$0" && { [ -z "$1" ] || { exec 0<"$1" && rm -f "$1"; }; } && shift 1 && exec "$@"', 'leaf0', '', 'env', '-i', '-C', '/',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'HOSTNAME=leaf0', 'TERM=xterm',
        'vtysh', '-c', 'show ip bgp'],
    })
  })

  it('answers like docker for unknown containers, missing TTYs and unknown commands', async () => {
    expect(await docker(['exec', 'clab-bgp-leaf9', 'ip', 'r'])).toMatchObject({ result: { exitCode: 1 }, stderr: 'Error: No such container: clab-bgp-leaf9\n' })
    expect(await docker(['exec', '-it', 'clab-bgp-leaf0', 'bash'])).toMatchObject({ result: { exitCode: 1 }, stderr: 'the input device is not a TTY\n' })
    expect(await docker(['pul', 'alpine'])).toMatchObject({ result: { exitCode: 1 }, stderr: "docker: 'pul' is not a docker command.\nSee 'docker --help'\n" })
    expect(await docker(['ps', '--bogus'])).toMatchObject({ result: { exitCode: 125 }, stderr: "unknown flag: --bogus\nSee 'docker ps --help'.\n" })
    expect(await docker(['--bogus', 'ps'])).toMatchObject({ result: { exitCode: 125 }, stderr: "unknown flag: --bogus\nSee 'docker --help'.\n" })
  })

  it('answers docker\'s real commands and flags it does not emulate with the limit and what to use, exit 1', async () => {
    const limit = (what: string) => ({ result: { exitCode: 1 }, stdout: '', stderr: expect.stringMatching(new RegExp(`^docker: '${what}' is not available in the twin lab\\n\\S.*\\n$`)) })
    expect(await docker(['pull', 'alpine'])).toEqual(limit('pull'))
    expect(await docker(['logs', 'clab-bgp-leaf0'])).toEqual(limit('logs'))
    expect(await docker(['container', 'rm', 'clab-bgp-leaf0'])).toEqual(limit('container rm'))
    expect(await docker(['ps', '--filter', 'name=leaf'])).toEqual(limit('ps --filter'))
    expect(await docker(['exec', '-d', 'clab-bgp-leaf0', 'sleep', '9'])).toEqual(limit('exec --detach'))
    expect(await docker(['exec', '-u', 'frr', 'clab-bgp-leaf0', 'id'])).toEqual(limit('exec --user frr'))
    expect(await docker(['-H', 'tcp://10.0.0.1:2375', 'ps'])).toEqual(limit('-H'))
    expect(await docker(['inspect', '--type', 'image', 'alpine'])).toEqual(limit('inspect --type image'))
  })

  it('honours the flags it accepts: -aq, --no-trunc, container ls, exec -u root', async () => {
    expect((await docker(['ps', '-aq'])).stdout).toMatch(/^[0-9a-f]{12}\n[0-9a-f]{12}\n$/)
    expect((await docker(['ps', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout).toMatch(/^[0-9a-f]{64} "\/sbin\/init"\n[0-9a-f]{64} "\/usr\/local\/bin\/entrypoint \/sbin\/init"\n$/)
    expect((await docker(['container', 'ls', '--format', '{{.Names}}'])).stdout).toBe('clab-bgp-leaf0\nclab-bgp-control-plane\n')
    expect((await docker(['exec', '--user=root', '-e', 'A=1', 'clab-bgp-leaf0', 'env'])).result).toMatchObject({ execLocal: expect.arrayContaining(['A=1', 'env']) })
  })

  it('refuses docker cp with the reason', async () => {
    const { result, stderr } = await docker(['cp', 'a.txt', 'clab-bgp-leaf0:/tmp/'])
    expect(result).toEqual({ exitCode: 1 })
    expect(stderr).toContain("share this machine's filesystem")
  })
})
