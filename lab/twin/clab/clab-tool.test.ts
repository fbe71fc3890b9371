import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { clabTool } from './clab-tool.ts'

/** What the twin's containerlab answers before deploying anything (no namespaces are touched). */
const fake = useFakeCluster('clab-tool-')
const clab = (argv: string[]) => fake.call(clabTool, argv)
const limit = (what: string) => ({ exitCode: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^containerlab: '${what}' is not available in the twin lab\\n\\S.*\\n$`)) })

describe('containerlab honest limits', () => {
  it('answers containerlab\'s real commands and flags it does not emulate with the limit and what to use, exit 1', async () => {
    expect(await clab(['exec', '-t', 'cilium.bgp.clab.yml', '--cmd', 'ip r'])).toEqual(limit('exec'))
    expect(await clab(['save', '-t', 'cilium.bgp.clab.yml'])).toEqual(limit('save'))
    expect(await clab(['g', '-t', 'cilium.bgp.clab.yml'])).toEqual(limit('g'))
    expect(await clab(['dep', '-t', 'cilium.bgp.clab.yml', '--graph'])).toEqual(limit('deploy --graph'))
    expect(await clab(['--runtime', 'podman', 'deploy', '-t', 'x.clab.yml'])).toEqual(limit('deploy --runtime'))
    expect(await clab(['inspect', '--format', 'json'])).toEqual(limit('inspect --format'))
    expect(await clab(['version', 'upgrade'])).toEqual(limit('version upgrade'))
    expect(fake.lab.containers.size).toBe(0)
  })

  it('keeps containerlab\'s own words for what containerlab does not have', async () => {
    expect(await clab(['deplyo'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error: unknown command "deplyo" for "containerlab"\n\nDid you mean this?\n\tdeploy\n\nRun \'containerlab --help\' for usage.\n' })
    expect(await clab(['deploy', '--bogus'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error: unknown flag: --bogus\n' })
  })

  it('reads -c per command and the command after a flag\'s value', async () => {
    expect(await clab(['-t', 'cilium.bgp.clab.yml', 'version'])).toEqual({ exitCode: 1, stdout: '', stderr: expect.stringMatching(/^containerlab: 'version --topo' is not available/) })
    expect(await clab(['deploy', '-c', '--cleanup'])).toEqual(limit('deploy --cleanup'))
    expect(await clab(['version'])).toEqual({ exitCode: 0, stdout: '  version: 0.54.2\n', stderr: '' })
  })
})
