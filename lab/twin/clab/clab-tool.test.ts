import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { clabTool } from './clab-tool.ts'

/** What the twin's containerlab answers before deploying anything (no namespaces are touched). */
const fake = useFakeCluster('clab-tool-')
const clab = (argv: string[]) => fake.call(clabTool, argv)
const limit = (what: string) => ({
  exitCode: 1,
  stdout: '',
  stderr: expect.stringMatching(new RegExp(`^containerlab: '${what}' is not available in the twin lab\\n\\S.*\\n$`)),
})

describe('containerlab honest limits', () => {
  it("answers containerlab's real commands and flags it does not emulate with the limit and what to use, exit 1", async () => {
    expect(await clab(['exec', '-t', 'cilium.bgp.clab.yml', '--cmd', 'ip r'])).toEqual(limit('exec'))
    expect(await clab(['config', '-t', 'cilium.bgp.clab.yml'])).toEqual(limit('config'))
    expect(await clab(['gen', '--name', 'x'])).toEqual(limit('gen'))
    expect(await clab(['graph', '--dot', '-t', 'cilium.bgp.clab.yml'])).toEqual(limit('graph --dot'))
    expect(await clab(['dep', '-t', 'cilium.bgp.clab.yml', '--graph'])).toEqual(limit('deploy --graph'))
    expect(await clab(['--runtime', 'podman', 'deploy', '-t', 'x.clab.yml'])).toEqual(limit('deploy --runtime'))
    expect(await clab(['inspect', '--format', 'json'])).toEqual(limit('inspect --format'))
    expect(await clab(['version', 'upgrade'])).toEqual(limit('version upgrade'))
    expect(fake.lab.containers.size).toBe(0)
  })

  it("answers a command's --help with its page of containerlab's documentation, never the top-level usage", async () => {
    const refused = (what: string, page: string) => ({
      exitCode: 1,
      stdout: '',
      stderr: `containerlab: '${what}' is not available in the twin lab\ncontainerlab's reference for ${page}: https://containerlab.dev/cmd/${page}/\n`,
    })
    expect(await clab(['graph', '-t', 'cilium.bgp.clab.yml', '--help'])).toEqual(refused('graph --help', 'graph'))
    expect(await clab(['dep', '-h'])).toEqual(refused('dep --help', 'deploy'))
    expect(await clab(['help', 'destroy'])).toEqual(refused('help destroy', 'destroy'))
    expect(await clab(['exec', '--help'])).toEqual(limit('exec'))
    expect((await clab(['--help'])).stdout).toMatch(/^containerlab\n\nUsage:\n {2}containerlab \[command\]\n/)
  })

  it("keeps containerlab's own words for what containerlab does not have", async () => {
    expect(await clab(['deplyo'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: unknown command "deplyo" for "containerlab"\n\nDid you mean this?\n\tdeploy\n\nRun \'containerlab --help\' for usage.\n',
    })
    expect(await clab(['deploy', '--bogus'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: unknown flag: --bogus\n',
    })
  })

  it("reads -c per command and the command after a flag's value", async () => {
    expect(await clab(['-t', 'cilium.bgp.clab.yml', 'version'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: expect.stringMatching(/^containerlab: 'version --topo' is not available/),
    })
    expect(await clab(['deploy', '-c', '--cleanup'])).toEqual(limit('deploy --cleanup'))
    expect(await clab(['version'])).toEqual({ exitCode: 0, stdout: '  version: 0.54.2\n', stderr: '' })
  })
})

describe('containerlab graph and save', () => {
  const topology =
    'name: bgp\ntopology:\n  nodes:\n    br-leaf0:\n      kind: bridge\n    server1:\n      kind: linux\n      image: nicolaka/netshoot:v0.13\n      network-mode: container:clab-bgp-control-plane\n  links:\n    - endpoints: ["br-leaf0:br-leaf0-net0", "server1:net0"]\n'

  it("serves a page of the topology on 127.0.0.1:50080 from the learner's shell, until Ctrl-C", async () => {
    writeFileSync(join(fake.dir, 'lab.clab.yml'), topology)
    const { exitCode, stderr, execLocal } = await clab(['graph', '-t', 'lab.clab.yml'])
    expect(exitCode).toBe(-1)
    expect(stderr).toMatch(
      /^INFO\[0000\] Parsing & checking topology file: lab\.clab\.yml +\nINFO\[0000\] Serving topology graph on http:\/\/127\.0\.0\.1:50080 +\n$/,
    )
    expect(execLocal?.slice(0, 4)).toEqual(['busybox', 'httpd', '-f', '-p'])
    expect(execLocal?.[4]).toBe('127.0.0.1:50080')
    const page = readFileSync(join(execLocal!.at(-1)!, 'index.html'), 'utf8')
    expect(page).toContain(
      '<tr><td>server1</td><td>linux (network-mode container:clab-bgp-control-plane)</td><td>nicolaka/netshoot:v0.13</td><td>N/A</td></tr>',
    )
    expect(page).toContain('<li>br-leaf0:br-leaf0-net0 &harr; server1:net0</li>')
    expect((await clab(['graph', '-t', 'lab.clab.yml', '--srv', ':8080'])).execLocal).toContain('127.0.0.1:8080')
  })

  it('saves nothing for linux nodes, as containerlab 0.54, and says so with --debug', async () => {
    writeFileSync(join(fake.dir, 'lab.clab.yml'), topology)
    expect(await clab(['save', '-t', 'lab.clab.yml'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: expect.stringMatching(/^INFO\[0000\] Parsing & checking topology file: lab\.clab\.yml +\n$/),
    })
    const debug = await clab(['save', '-t', 'lab.clab.yml', '-d'])
    expect(debug.stderr).toContain('DEBU[0000] Save operation is currently not supported for "linux" node kind')
    expect(await clab(['save', '-t', 'missing.clab.yml'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining('Error: topology file missing.clab.yml not found'),
    })
  })
})
