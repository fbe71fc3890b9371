import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { addKindNode } from '../cluster/fake-lab.ts'
import { dockerTool } from './docker-tool.ts'

/** `docker exec NODE crictl ...`: the node's pods from the cluster's store, with crictl 1.23's columns. */
const fake = useFakeCluster('crictl-')
const docker = (argv: string[]) => fake.call(dockerTool, argv)

function addNodeAndPods(): void {
  addKindNode(fake.lab, 'clab-bgp-worker')
  const pod = (name: string, namespace: string, node: string, phase: string, containers: string[]) =>
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace },
      spec: { nodeName: node, containers: containers.map((c) => ({ name: c, image: `img/${c}:1` })) },
      status: { phase, startTime: new Date(Date.now() - 120_000).toISOString() },
    })
  pod('cilium-x7k2p', 'kube-system', 'clab-bgp-worker', 'Running', ['cilium-agent'])
  pod('cni-8cnm5', 'default', 'clab-bgp-worker', 'Running', ['nettools'])
  pod('cni-lzwwq', 'default', 'clab-bgp-worker2', 'Running', ['nettools'])
  pod('pending-1', 'default', 'clab-bgp-worker', 'Pending', ['nettools'])
}

describe('crictl in a kind node', () => {
  it("lists the node's running containers as crictl ps does", async () => {
    addNodeAndPods()
    const { exitCode, stdout } = await docker(['exec', 'clab-bgp-worker', 'crictl', 'ps'])
    expect(exitCode).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(
      'CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID',
    )
    expect(
      lines
        .slice(1)
        .map((line) => line.split(/\s{2,}/)[4])
        .sort(),
    ).toEqual(['cilium-agent', 'nettools'])
    expect(lines[1]).toMatch(/^[0-9a-f]{13} {7}[0-9a-f]{13} {7}2 minutes ago {7}Running {13}\S+ +0 {19}[0-9a-f]{13}$/)
  })

  it("lists the node's pod sandboxes as crictl pods does, and ids alone with -q", async () => {
    addNodeAndPods()
    const lines = (await docker(['exec', '-it', 'clab-bgp-worker', 'crictl', 'pods'])).stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(
      'POD ID              CREATED             STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME',
    )
    expect(
      lines
        .slice(1)
        .map((line) =>
          line
            .split(/\s{2,}/)
            .slice(2, 5)
            .join(' '),
        )
        .sort(),
    ).toEqual(['Ready cilium-x7k2p kube-system', 'Ready cni-8cnm5 default'])
    expect((await docker(['exec', 'clab-bgp-worker', 'crictl', 'pods', '-q'])).stdout).toMatch(
      /^[0-9a-f]{64}\n[0-9a-f]{64}\n$/,
    )
  })

  it('refuses what it does not list, with what to use', async () => {
    addNodeAndPods()
    expect(await docker(['exec', 'clab-bgp-worker', 'crictl', 'logs', 'abc'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^crictl: 'logs' is not available in the twin lab\n/),
    })
    expect(await docker(['exec', 'clab-bgp-worker', 'crictl', 'ps', '--name', 'x'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^crictl: 'ps --name' is not available/),
    })
  })
})
