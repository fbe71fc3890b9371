import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { helmTool } from './helm-tool.ts'

const fake = useFakeCluster('helm-test-')
const helm = (argv: string[]) => fake.call(helmTool, argv)

describe('helm version', () => {
  it('prints the seed\'s helm build info, or the short form with the commit abbreviated', async () => {
    expect(await helm(['version'])).toEqual({
      exitCode: 0,
      stdout: 'version.BuildInfo{Version:"v3.15.0-rc.2", GitCommit:"c4e37b39dbb341cb3f716220df9f9d306d123a58", GitTreeState:"clean", GoVersion:"go1.22.3"}\n',
      stderr: '',
    })
    expect(await helm(['version', '--short'])).toEqual({ exitCode: 0, stdout: 'v3.15.0-rc.2+gc4e37b3\n', stderr: '' })
  })

  it('changes nothing in the lab', async () => {
    let changed = 0
    fake.lab.events.on('changed', () => changed++)
    await helm(['version', '--short'])
    expect(changed).toBe(0)
    expect((await helm(['frob'])).stderr).toBe('Error: unknown command "frob" for "helm"\nRun \'helm --help\' for usage.\n')
  })
})

describe('helm honest limits', () => {
  const limit = (what: string) => ({ exitCode: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^helm: '${what}' is not available in the twin lab\\n\\S.*\\n$`)) })

  it('answers helm\'s real commands and flags it does not emulate with the limit and what to use, exit 1', async () => {
    expect(await helm(['upgrade', 'cilium', 'cilium/cilium', '--set', 'debug.enabled=false'])).toEqual(limit('upgrade'))
    expect(await helm(['status', 'cilium'])).toEqual(limit('status'))
    expect(await helm(['upgrade', '--install', 'cilium', 'cilium/cilium'])).toEqual(limit('upgrade'))
    expect(await helm(['inspect', 'values', 'cilium/cilium'])).toEqual(limit('inspect'))
    expect(await helm(['repo', 'remove', 'cilium'])).toEqual(limit('repo remove'))
    expect(await helm(['install', 'cilium', 'cilium/cilium', '-f', 'values.yaml'])).toEqual({ exitCode: 1, stdout: '', stderr: "helm: 'install --values' is not available in the twin lab\nGive each value with --set KEY=VALUE.\n" })
    expect(await helm(['list', '--pending'])).toEqual(limit('list --pending'))
  })

  it('keeps helm\'s own words for what helm does not have, with cobra\'s suggestions', async () => {
    expect(await helm(['instal', 'cilium'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error: unknown command "instal" for "helm"\n\nDid you mean this?\n\tinstall\n\nRun \'helm --help\' for usage.\n' })
    expect(await helm(['install', '--frob'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error: unknown flag: --frob\n' })
    let changed = 0
    fake.lab.events.on('changed', () => changed++)
    await helm(['upgrade', 'cilium', 'cilium/cilium'])
    expect(changed).toBe(0)
  })
})
