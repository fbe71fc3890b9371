import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kindTool } from './kind-tool.ts'

/** What the twin's kind answers without creating anything (no namespaces are touched). */
const fake = useFakeCluster('kind-tool-')
const kind = (argv: string[]) => fake.call(kindTool, argv)
const limit = (what: string) => ({
  exitCode: 1,
  stdout: '',
  stderr: expect.stringMatching(new RegExp(`^kind: '${what}' is not available in the twin lab\\n\\S.*\\n$`)),
})

describe('kind honest limits', () => {
  it("answers kind's real commands and flags it does not emulate with the limit and what to use, exit 1", async () => {
    expect(await kind(['load', 'docker-image', 'nettools:latest'])).toEqual(limit('load'))
    expect(await kind(['export', 'kubeconfig'])).toEqual(limit('export kubeconfig'))
    expect(await kind(['get', 'kubeconfig', '--kubeconfig', 'x'])).toEqual(limit('get kubeconfig --kubeconfig'))
    expect(await kind(['delete', 'clusters', '--all'])).toEqual(limit('delete clusters'))
    expect(await kind(['create', 'cluster', '--retain'])).toEqual(limit('create cluster --retain'))
    expect(await kind(['get', 'nodes', '-A'])).toEqual(limit('get nodes --all-clusters'))
    expect(fake.cluster.store.cluster).toBeNull()
  })

  it("keeps kind's own words for what kind does not have", async () => {
    expect(await kind(['crate', 'cluster'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'ERROR: unknown command "crate" for "kind"\n\nDid you mean this?\n\tcreate\n',
    })
    expect(await kind(['create', 'clustr'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'ERROR: unknown command "clustr" for "kind create"\n\nDid you mean this?\n\tcluster\n',
    })
    expect(await kind(['create', 'cluster', '--nme', 'x'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'ERROR: unknown flag: --nme\n',
    })
  })

  it('answers what it emulates', async () => {
    expect(await kind(['version'])).toEqual({ exitCode: 0, stdout: 'kind v0.18.0 go1.20.2 linux/amd64\n', stderr: '' })
    expect(await kind(['get', 'clusters'])).toEqual({ exitCode: 0, stdout: '', stderr: 'No kind clusters found.\n' })
    expect(await kind(['get', 'nodes', '--name=clab-bgp'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'No kind nodes found for cluster "clab-bgp".\n',
    })
    expect(await kind(['get', 'kubeconfig'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "ERROR: could not locate any control plane nodes for cluster named 'kind'. Use the --name option to select a different cluster\n",
    })
    expect(await kind(['export', 'logs', '--name', 'clab-bgp'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'ERROR: unknown cluster "clab-bgp"\n',
    })
  })
})

describe('kind get kubeconfig and export logs', () => {
  const nodes = [
    { name: 'clab-bgp-control-plane', role: 'control-plane' as const, labels: {} },
    { name: 'clab-bgp-worker', role: 'worker' as const, labels: {} },
  ]
  beforeEach(() => {
    fake.cluster.store.setCluster({
      name: 'clab-bgp',
      podSubnet: '10.98.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      disableDefaultCNI: true,
      createdAt: Date.now(),
      nodes,
    })
  })

  it("prints kind's kubeconfig for the cluster, the control plane's own address with --internal", async () => {
    const { exitCode, stdout } = await kind(['get', 'kubeconfig', '--name', 'clab-bgp'])
    expect(exitCode).toBe(0)
    expect(stdout.replace(/^#.*\n/, '')).toBe(
      'apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: kind-clab-bgp\ncontexts:\n- context:\n' +
        '    cluster: kind-clab-bgp\n    user: kind-clab-bgp\n  name: kind-clab-bgp\ncurrent-context: kind-clab-bgp\nkind: Config\npreferences: {}\nusers:\n- name: kind-clab-bgp\n  user: {}\n',
    )
    expect((await kind(['get', 'kubeconfig', '--name', 'clab-bgp', '--internal'])).stdout).toContain(
      'server: https://clab-bgp-control-plane:6443\n',
    )
  })

  it("writes a folder per node with the versions and each pod's output in the kubelet's log format", async () => {
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cilium-abcde', namespace: 'kube-system' },
      spec: {
        nodeName: 'clab-bgp-worker',
        containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.13.0-rc5' }],
      },
    })
    fake.cluster.log('cilium-abcde', 'msg="Registering BGP servers for policy with local ASN 65005"')
    const { exitCode, stdout, stderr } = await kind(['export', 'logs', 'out', '--name', 'clab-bgp'])
    expect({ exitCode, stdout, stderr }).toEqual({
      exitCode: 0,
      stdout: 'out\n',
      stderr: 'Exporting logs for cluster "clab-bgp" to:\n',
    })
    const out = join(fake.dir, 'out')
    expect(readFileSync(join(out, 'kind-version.txt'), 'utf8')).toBe('kind v0.18.0 go1.20.2 linux/amd64\n')
    expect(readFileSync(join(out, 'clab-bgp-control-plane', 'kubernetes-version.txt'), 'utf8')).toBe('v1.23.4\n')
    const uid = fake.cluster.store.get('Pod', 'kube-system', 'cilium-abcde')!.metadata.uid
    const log = readFileSync(
      join(out, 'clab-bgp-worker', 'pods', `kube-system_cilium-abcde_${uid}`, 'cilium-agent', '0.log'),
      'utf8',
    )
    expect(log).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z stderr F level=info msg="Registering BGP servers for policy with local ASN 65005"\n$/,
    )
  })
})
