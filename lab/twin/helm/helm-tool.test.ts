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
    expect((await helm(['frob'])).stderr).toBe('Error: unknown command "frob" for "helm"\n')
  })
})
