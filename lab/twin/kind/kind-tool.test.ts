import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kindTool } from './kind-tool.ts'

/** What the twin's kind answers without creating anything (no namespaces are touched). */
const fake = useFakeCluster('kind-tool-')
const kind = (argv: string[]) => fake.call(kindTool, argv)
const limit = (what: string) => ({ exitCode: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^kind: '${what}' is not available in the twin lab\\n\\S.*\\n$`)) })

describe('kind honest limits', () => {
  it('answers kind\'s real commands and flags it does not emulate with the limit and what to use, exit 1', async () => {
    expect(await kind(['load', 'docker-image', 'nettools:latest'])).toEqual(limit('load'))
    expect(await kind(['export', 'logs'])).toEqual(limit('export'))
    expect(await kind(['get', 'kubeconfig', '--name', 'clab-bgp'])).toEqual(limit('get kubeconfig'))
    expect(await kind(['delete', 'clusters', '--all'])).toEqual(limit('delete clusters'))
    expect(await kind(['create', 'cluster', '--retain'])).toEqual(limit('create cluster --retain'))
    expect(await kind(['get', 'nodes', '-A'])).toEqual(limit('get nodes --all-clusters'))
    expect(fake.cluster.store.cluster).toBeNull()
  })

  it('keeps kind\'s own words for what kind does not have', async () => {
    expect(await kind(['crate', 'cluster'])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR: unknown command "crate" for "kind"\n\nDid you mean this?\n\tcreate\n' })
    expect(await kind(['create', 'clustr'])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR: unknown command "clustr" for "kind create"\n\nDid you mean this?\n\tcluster\n' })
    expect(await kind(['create', 'cluster', '--nme', 'x'])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR: unknown flag: --nme\n' })
  })

  it('answers what it emulates', async () => {
    expect(await kind(['version'])).toEqual({ exitCode: 0, stdout: 'kind v0.18.0 go1.20.2 linux/amd64\n', stderr: '' })
    expect(await kind(['get', 'clusters'])).toEqual({ exitCode: 0, stdout: '', stderr: 'No kind clusters found.\n' })
    expect(await kind(['get', 'nodes', '--name=clab-bgp'])).toEqual({ exitCode: 0, stdout: '', stderr: 'No kind nodes found for cluster "clab-bgp".\n' })
  })
})
