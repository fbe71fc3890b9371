import { describe, expect, it } from 'vitest'
import { NodeLifecycle } from '../cluster/controllers/node-lifecycle.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { addKindNode } from '../cluster/fake-lab.ts'
import type { KObject } from '../cluster/store.ts'
import { markStopped } from '../docker/container-state.ts'
import { kubectlTool } from './kubectl.ts'

/** kubectl cordon, uncordon and drain over a store with two nodes and pods placed by hand (no controllers). */
const fake = useFakeCluster('kubectl-drain-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

const WORKER = 'clab-bgp-worker'

function createCluster(): void {
  fake.createKindCluster({
    nodes: [
      { name: 'clab-bgp-control-plane', role: 'control-plane', labels: {} },
      { name: WORKER, role: 'worker', labels: {} },
    ],
  })
}

/** A Running pod on the worker, owned by `owner` (kind/name) or by nothing. */
function pod(namespace: string, name: string, owner?: { kind: string; name: string }, emptyDir = false): void {
  const object: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(owner ? { ownerReferences: [{ ...owner, uid: `${name}-owner`, controller: true } as any] } : {}),
    },
    spec: {
      nodeName: WORKER,
      containers: [{ name: 'c', image: 'nginx' }],
      ...(emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  }
  fake.cluster.store.create(object)
}

function daemonSet(namespace: string, name: string): void {
  fake.cluster.store.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { spec: { containers: [] } } },
  })
  pod(namespace, `${name}-x1`, { kind: 'DaemonSet', name })
}

const podNames = () =>
  fake.cluster.store
    .list('Pod')
    .filter((p) => p.spec.nodeName === WORKER)
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    .sort()

describe('kubectl cordon and uncordon', () => {
  it('marks the node unschedulable, says when it already was, and get nodes shows SchedulingDisabled', async () => {
    createCluster()
    expect(await kubectl(['cordon', WORKER])).toEqual({ exitCode: 0, stdout: `node/${WORKER} cordoned\n`, stderr: '' })
    expect((await kubectl(['cordon', WORKER])).stdout).toBe(`node/${WORKER} already cordoned\n`)
    expect(fake.cluster.store.get('Node', undefined, WORKER)?.spec.unschedulable).toBe(true)
    // The node lifecycle controller mirrors the cordon into its taint.
    await new NodeLifecycle().reconcile(fake.cluster)
    expect(fake.cluster.store.get('Node', undefined, WORKER)?.spec.taints).toContainEqual({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
    })
    expect((await kubectl(['get', 'node', WORKER, '--no-headers'])).stdout).toMatch(
      new RegExp(`^${WORKER} +NotReady,SchedulingDisabled +<none> `),
    )
    expect((await kubectl(['uncordon', WORKER])).stdout).toBe(`node/${WORKER} uncordoned\n`)
    expect((await kubectl(['uncordon', WORKER])).stdout).toBe(`node/${WORKER} already uncordoned\n`)
    expect(fake.cluster.store.get('Node', undefined, WORKER)?.spec).not.toHaveProperty('unschedulable')
    await new NodeLifecycle().reconcile(fake.cluster)
    expect(
      fake.cluster.store.get('Node', undefined, WORKER)?.spec.taints?.map((t: { key: string }) => t.key),
    ).not.toContain('node.kubernetes.io/unschedulable')
  })

  it("answers kubectl's usage and not-found errors, and refuses the flags it does not do by name", async () => {
    createCluster()
    expect(await kubectl(['cordon'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n",
    })
    expect((await kubectl(['uncordon', 'nope'])).stderr).toBe('Error from server (NotFound): nodes "nope" not found\n')
    expect((await kubectl(['cordon', WORKER, '--dry-run=client'])).stderr).toBe(
      "kubectl: 'cordon --dry-run' is not available in the twin lab\nThe twin's kubectl cordon takes --namespace.\n",
    )
  })
})

describe('kubectl drain', () => {
  it('cordons, then refuses DaemonSet-managed and unmanaged pods with kubectl 1.23 words, evicting nothing', async () => {
    createCluster()
    daemonSet('kube-system', 'cilium')
    pod('default', 'bare')
    expect(await kubectl(['drain', WORKER])).toEqual({
      exitCode: 1,
      stdout: `node/${WORKER} cordoned\n`,
      stderr:
        `error: unable to drain node "${WORKER}" due to error:[cannot delete Pods that declare no controller (use --force to override): default/bare, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/cilium-x1], continuing command...\n` +
        `There are pending nodes to be drained:\n ${WORKER}\n` +
        'cannot delete Pods that declare no controller (use --force to override): default/bare\n' +
        'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/cilium-x1\n',
    })
    expect(podNames()).toEqual(['default/bare', 'kube-system/cilium-x1'])
  })

  it('with --ignore-daemonsets --force: warns, evicts all but the daemon pods, and reports the node drained', async () => {
    createCluster()
    daemonSet('kube-system', 'cilium')
    pod('default', 'bare')
    pod('default', 'web-5d9c7-abcde', { kind: 'ReplicaSet', name: 'web-5d9c7' })
    expect(await kubectl(['drain', WORKER, '--ignore-daemonsets', '--force'])).toEqual({
      exitCode: 0,
      stdout:
        `node/${WORKER} cordoned\n` +
        'evicting pod default/bare\nevicting pod default/web-5d9c7-abcde\n' +
        'pod/bare evicted\npod/web-5d9c7-abcde evicted\n' +
        `node/${WORKER} drained\n`,
      stderr:
        'WARNING: deleting Pods that declare no controller: default/bare; ignoring DaemonSet-managed Pods: kube-system/cilium-x1\n',
    })
    expect(podNames()).toEqual(['kube-system/cilium-x1'])
    expect((await kubectl(['drain', WORKER, '--ignore-daemonsets'])).stdout).toBe(
      `node/${WORKER} already cordoned\nnode/${WORKER} drained\n`,
    )
  })

  it('needs --delete-emptydir-data for pods with an emptyDir, and refuses the flags it does not do by name', async () => {
    createCluster()
    pod('default', 'cache-6f8d-x', { kind: 'ReplicaSet', name: 'cache-6f8d' }, true)
    expect((await kubectl(['drain', WORKER])).stderr).toContain(
      'due to error:cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-6f8d-x, continuing command...\n',
    )
    expect(await kubectl(['drain', WORKER, '--delete-emptydir-data'])).toMatchObject({
      exitCode: 0,
      stderr: 'WARNING: deleting Pods with local storage: default/cache-6f8d-x\n',
    })
    expect((await kubectl(['drain', WORKER, '--pod-selector', 'app=web'])).stderr).toBe(
      "kubectl: 'drain --pod-selector' is not available in the twin lab\nThe twin's kubectl drain takes --namespace, --ignore-daemonsets, --delete-emptydir-data, --force.\n",
    )
  })
})

describe('kubectl with a node stopped', () => {
  it('refuses exec and logs into its pods honestly: the API server cannot reach its kubelet', async () => {
    createCluster()
    pod('default', 'web-1', { kind: 'ReplicaSet', name: 'web' })
    markStopped(addKindNode(fake.lab, WORKER))
    const refused = (verb: string) => ({
      exitCode: 1,
      stdout: '',
      stderr: `kubectl: '${verb} web-1: its node ${WORKER} is stopped' is not available in the twin lab\nThe API server cannot reach the kubelet of a stopped node: docker start ${WORKER} first.\n`,
    })
    expect(await kubectl(['logs', 'web-1'])).toEqual(refused('logs'))
    expect(await kubectl(['exec', 'web-1', '--', 'ip', 'addr'])).toEqual(refused('exec'))
  })
})

describe('kubectl with the control plane node stopped', () => {
  it('is refused at the address of the lab kubeconfig, as kubectl is when the API server is gone', async () => {
    createCluster()
    const info = addKindNode(fake.lab, 'clab-bgp-control-plane')
    expect((await kubectl(['get', 'nodes'])).exitCode).toBe(0)
    markStopped(info)
    expect(await kubectl(['get', 'nodes'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n',
    })
    expect((await kubectl(['config', 'current-context'])).stdout).toBe('kind-clab-bgp\n')
    expect(await kubectl(['version', '--short'])).toEqual({
      exitCode: 1,
      stdout: 'Client Version: v1.23.4\n',
      stderr: 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n',
    })
  })
})
