import { beforeEach, describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { helmTool } from './helm-tool.ts'

const fake = useFakeCluster('helm-test-')
const helm = (argv: string[]) => fake.call(helmTool, argv)

describe('helm version', () => {
  it("prints the seed's helm build info, or the short form with the commit abbreviated", async () => {
    expect(await helm(['version'])).toEqual({
      exitCode: 0,
      stdout:
        'version.BuildInfo{Version:"v3.15.0-rc.2", GitCommit:"c4e37b39dbb341cb3f716220df9f9d306d123a58", GitTreeState:"clean", GoVersion:"go1.22.3"}\n',
      stderr: '',
    })
    expect(await helm(['version', '--short'])).toEqual({ exitCode: 0, stdout: 'v3.15.0-rc.2+gc4e37b3\n', stderr: '' })
  })

  it('changes nothing in the lab', async () => {
    let changed = 0
    fake.lab.events.on('changed', () => changed++)
    await helm(['version', '--short'])
    expect(changed).toBe(0)
    expect((await helm(['frob'])).stderr).toBe(
      'Error: unknown command "frob" for "helm"\nRun \'helm --help\' for usage.\n',
    )
  })
})

describe('helm honest limits', () => {
  const limit = (what: string) => ({
    exitCode: 1,
    stdout: '',
    stderr: expect.stringMatching(new RegExp(`^helm: '${what}' is not available in the twin lab\\n\\S.*\\n$`)),
  })

  it("answers helm's real commands and flags it does not emulate with the limit and what to use, exit 1", async () => {
    expect(await helm(['rollback', 'cilium', '1'])).toEqual(limit('rollback'))
    expect(await helm(['get', 'manifest', 'cilium'])).toEqual(limit('get manifest'))
    expect(await helm(['upgrade', 'cilium', 'cilium/cilium', '-f', 'values.yaml'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "helm: 'upgrade --values' is not available in the twin lab\nGive each value with --set KEY=VALUE.\n",
    })
    expect(await helm(['inspect', 'values', 'cilium/cilium'])).toEqual(limit('inspect'))
    expect(await helm(['repo', 'remove', 'cilium'])).toEqual(limit('repo remove'))
    expect(await helm(['install', 'cilium', 'cilium/cilium', '-f', 'values.yaml'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "helm: 'install --values' is not available in the twin lab\nGive each value with --set KEY=VALUE.\n",
    })
    expect(await helm(['list', '--pending'])).toEqual(limit('list --pending'))
  })

  it("keeps helm's own words for what helm does not have, with cobra's suggestions", async () => {
    expect(await helm(['instal', 'cilium'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: unknown command "instal" for "helm"\n\nDid you mean this?\n\tinstall\n\nRun \'helm --help\' for usage.\n',
    })
    expect(await helm(['install', '--frob'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: unknown flag: --frob\n',
    })
    let changed = 0
    fake.lab.events.on('changed', () => changed++)
    await helm(['rollback', 'cilium'])
    expect(changed).toBe(0)
  })
})

describe('helm releases: install, status, upgrade, get values, history, uninstall', () => {
  const seedSets = [
    '--set',
    'cluster.name=clab-bgp-cplane',
    '--set',
    'ipam.mode=kubernetes',
    '--set',
    'tunnel=disabled',
    '--set',
    'bgpControlPlane.enabled=true',
  ]
  const config = () => fake.cluster.store.get('ConfigMap', 'kube-system', 'cilium-config')!.data
  const ansic = /^LAST DEPLOYED: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/m

  beforeEach(async () => {
    fake.cluster.store.setCluster({
      name: 'clab-bgp',
      podSubnet: '10.98.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      disableDefaultCNI: true,
      createdAt: Date.now(),
      nodes: [],
    })
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kube-system' },
      spec: {},
      status: { phase: 'Active' },
    })
    expect((await helm(['repo', 'add', 'cilium', 'https://helm.cilium.io'])).exitCode).toBe(0)
    expect(
      (await helm(['install', 'cilium', 'cilium/cilium', '--version', '1.13.0-rc5', '-n', 'kube-system', ...seedSets]))
        .exitCode,
    ).toBe(0)
  })

  it("prints a release's status as helm 3 does, in its namespace only", async () => {
    const { exitCode, stdout } = await helm(['status', 'cilium', '-n', 'kube-system'])
    expect(exitCode).toBe(0)
    expect(stdout).toMatch(ansic)
    expect(stdout.replace(ansic, 'LAST DEPLOYED: X')).toBe(
      'NAME: cilium\nLAST DEPLOYED: X\nNAMESPACE: kube-system\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\n' +
        'You have successfully installed Cilium with Hubble.\n\nYour release version is 1.13.0-rc5.\n\nFor any further help, visit https://docs.cilium.io/en/v1.13/gettinghelp\n',
    )
    expect(await helm(['status', 'cilium'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error: release: not found\n' })
  })

  it("upgrades with --reuse-values --set: the agent's config changes, the old revision is superseded", async () => {
    const upgraded = await helm([
      'upgrade',
      'cilium',
      'cilium/cilium',
      '--version',
      '1.13.0-rc5',
      '-n',
      'kube-system',
      '--reuse-values',
      '--set',
      'bgpControlPlane.enabled=false',
    ])
    expect(upgraded.exitCode).toBe(0)
    expect(upgraded.stdout).toMatch(
      /^Release "cilium" has been upgraded\. Happy Helming!\nNAME: cilium\n[\s\S]*\nSTATUS: deployed\nREVISION: 2\n/,
    )
    expect(config()).toMatchObject({
      'enable-bgp-control-plane': 'false',
      ipam: 'kubernetes',
      tunnel: 'disabled',
      'cluster-name': 'clab-bgp-cplane',
    })
    const history = (await helm(['history', 'cilium', '-n', 'kube-system'])).stdout.split('\n')
    expect(history[0]).toMatch(/^REVISION\tUPDATED {17}\tSTATUS {4}\tCHART {12}\tAPP VERSION\tDESCRIPTION {5}$/)
    expect(history[1]).toMatch(
      /^1 {7}\t\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\tsuperseded\tcilium-1\.13\.0-rc5\t1\.13\.0-rc5 \tInstall complete$/,
    )
    expect(history[2]).toMatch(/^2 {7}\t.{24}\tdeployed {2}\tcilium-1\.13\.0-rc5\t1\.13\.0-rc5 \tUpgrade complete$/)
    expect((await helm(['list', '-A'])).stdout.split('\n')[1]).toMatch(/^cilium\tkube-system\t2 +\t.*\tdeployed\t/)
  })

  it('upgrades without --reuse-values to the given values alone, as helm 3 does', async () => {
    await helm([
      'upgrade',
      'cilium',
      'cilium/cilium',
      '--version',
      '1.13.0-rc5',
      '-n',
      'kube-system',
      '--set',
      'debug.enabled=true',
    ])
    expect(config()).toMatchObject({
      'enable-bgp-control-plane': 'false',
      ipam: 'cluster-pool',
      tunnel: 'vxlan',
      debug: 'true',
    })
    expect(await helm(['upgrade', 'nope', 'cilium/cilium', '-n', 'kube-system'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: UPGRADE FAILED: "nope" has no deployed releases\n',
    })
    // --install of a missing release installs it, with install's checks (here: its namespace does not exist).
    expect(await helm(['upgrade', '--install', 'other', 'cilium/cilium', '-n', 'default'])).toEqual({
      exitCode: 1,
      stdout: 'Release "other" does not exist. Installing it now.\n',
      stderr: 'Error: INSTALLATION FAILED: create: failed to create: namespaces "default" not found\n',
    })
  })

  it("prints the user's values, and with --all the chart's defaults under them", async () => {
    expect((await helm(['get', 'values', 'cilium', '-n', 'kube-system'])).stdout).toBe(
      'USER-SUPPLIED VALUES:\nbgpControlPlane:\n  enabled: true\ncluster:\n  name: clab-bgp-cplane\nipam:\n  mode: kubernetes\ntunnel: disabled\n',
    )
    const all = (await helm(['get', 'values', 'cilium', '-n', 'kube-system', '--all'])).stdout
    expect(all).toContain('COMPUTED VALUES:\nbgpControlPlane:\n  enabled: true\n')
    expect(all).toContain(
      'ipam:\n  mode: kubernetes\n  operator:\n    clusterPoolIPv4MaskSize: 24\n    clusterPoolIPv4PodCIDRList:\n    - 10.0.0.0/8\n',
    )
    expect(all).toContain('\nmonitorAggregation: medium\n')
  })

  it("uninstalls every revision and the chart's objects", async () => {
    await helm(['upgrade', 'cilium', 'cilium/cilium', '-n', 'kube-system', '--reuse-values'])
    expect(await helm(['uninstall', 'cilium', '-n', 'kube-system'])).toEqual({
      exitCode: 0,
      stdout: 'release "cilium" uninstalled\n',
      stderr: '',
    })
    expect(fake.cluster.store.get('ConfigMap', 'kube-system', 'cilium-config')).toBeUndefined()
    expect(fake.cluster.store.list('Secret').filter((s) => s.type === 'helm.sh/release.v1')).toEqual([])
    expect((await helm(['history', 'cilium', '-n', 'kube-system'])).stderr).toBe('Error: release: not found\n')
  })
})
