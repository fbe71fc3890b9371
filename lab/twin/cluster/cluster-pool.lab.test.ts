import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTwinContext, type LabContext } from '../context.ts'
import { callTool } from '../daemon/call-tool.ts'
import { clusterOf } from './cluster.ts'
import { clusterTools, startCluster } from './tools.ts'

/**
 * The mistake of installing Cilium without `--set ipam.mode=kubernetes`: pods get addresses from Cilium's own
 * cluster pool (10.0.0.0/8), while BGP's exportPodCIDR still announces the node's Kubernetes podCIDR.
 */
let lab: LabContext
let stateRoot: string
let stop: () => Promise<void>

const config = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: pool
networking:
  disableDefaultCNI: true
  podSubnet: "10.98.0.0/16"
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: InitConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-ip: 10.1.5.10
`

async function tool(name: 'kubectl' | 'kind' | 'helm', argv: string[], stdin: string | null = null) {
  const { exitCode, stdout, stderr } = await callTool(clusterTools[name], lab, argv, { cwd: lab.workspace, stdin })
  expect(exitCode, `${name} ${argv.join(' ')}: ${stderr}`).toBe(0)
  return stdout
}

beforeAll(async () => {
  stateRoot = mkdtempSync(join(tmpdir(), 'twin-pool-'))
  lab = createTwinContext({ stateRoot })
  // The lab host, where kind's network bridge lives (openLab makes it in a full lab).
  await lab.addNamespace(lab.ns('host'))
  stop = startCluster(lab).stop
  await tool('kind', ['create', 'cluster', '--config=-'], config)
  await lab.run(['ip', 'addr', 'add', '10.1.5.10/32', 'dev', 'lo'], { ns: lab.ns('pool-control-plane') })
  lab.events.emit('changed')
}, 60_000)

afterAll(async () => {
  await stop?.()
  await lab?.teardown()
  rmSync(stateRoot, { recursive: true, force: true })
  expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(`${lab.id}-`)
}, 60_000)

it('cluster-pool IPAM gives pods 10.0.x addresses while BGP announces the Kubernetes podCIDR', async () => {
  await tool('kubectl', ['taint', 'nodes', 'pool-control-plane', 'node-role.kubernetes.io/master:NoSchedule-'])
  await tool('helm', ['repo', 'add', 'cilium', 'https://helm.cilium.io'])
  await tool('helm', [
    'install',
    'cilium',
    'cilium/cilium',
    '--version',
    '1.13.0-rc5',
    '--namespace',
    'kube-system',
    '--set',
    'bgpControlPlane.enabled=true',
    '--set',
    'tunnel=disabled',
  ])
  const policy =
    'apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeeringPolicy\nmetadata:\n  name: all\nspec:\n  nodeSelector: {}\n  virtualRouters:\n  - localASN: 65005\n    exportPodCIDR: true\n    neighbors:\n    - peerAddress: 10.1.5.1/24\n      peerASN: 65005\n'
  await tool('kubectl', ['apply', '-f', '-'], policy)
  await tool('kubectl', ['apply', '-f', join(new URL('../../../workspace/', import.meta.url).pathname, 'cni.yaml')])
  const pod = JSON.parse(await tool('kubectl', ['get', 'pods', '-l', 'app=cni', '-o', 'json'])).items[0]
  expect(pod.status.podIP).toMatch(/^10\.0\.0\.\d+$/)
  expect(
    JSON.parse(await tool('kubectl', ['get', 'ciliumnode', 'pool-control-plane', '-o', 'json'])).spec.ipam.podCIDRs,
  ).toEqual(['10.0.0.0/24'])
  await clusterOf(lab).settle()
  const rib = await lab.run([
    'gobgp',
    '--target',
    `unix://${lab.runDir}/gobgp/pool-control-plane-0.sock`,
    '-j',
    'global',
    'rib',
  ])
  expect(Object.keys(JSON.parse(rib.stdout))).toEqual(['10.98.0.0/24'])
}, 60_000)
