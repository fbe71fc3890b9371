import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** What the twin's kubectl says about what it does not do: honest limits for real verbs and flags, kubectl's words for typos. */
const fake = useFakeCluster('kubectl-coverage-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function createCluster() {
  fake.createKindCluster()
}

const refused = (what: string) => ({
  exitCode: 1,
  stdout: '',
  stderr: expect.stringMatching(new RegExp(`^kubectl: '${what}' is not available in the twin lab\\n\\S.*\\n$`)),
})

describe('kubectl honest limits', () => {
  it('answers a real verb it does not emulate with the limit and what to use, exit 1', async () => {
    expect(await kubectl(['attach', 'pod/net'])).toEqual(refused('attach'))
    expect(await kubectl(['replace', '-f', 'svc.yaml'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "kubectl: 'replace' is not available in the twin lab\nRead the object with kubectl get TYPE NAME -o yaml > f.yaml, change the file, then kubectl apply -f f.yaml.\n",
    })
    createCluster()
    expect(await kubectl(['create', 'job', 'demo', '--image=busybox'])).toEqual(refused('create job'))
    expect(await kubectl(['config', 'set-context', 'x'])).toEqual(refused('config set-context'))
    expect(await kubectl(['cluster-info', 'dump'])).toEqual(refused('cluster-info dump'))
    expect(await kubectl(['rollout', 'undo', 'deployment/coredns', '-n', 'kube-system'])).toEqual(
      refused('rollout undo'),
    )
  })

  it("keeps kubectl's own words for what kubectl does not have, with cobra's suggestions", async () => {
    expect(await kubectl(['gett', 'pods'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tget\n\tset\n\nRun \'kubectl --help\' for usage.\n',
    })
    expect(await kubectl(['frobnicate'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: unknown command "frobnicate" for "kubectl"\nRun \'kubectl --help\' for usage.\n',
    })
    expect(await kubectl(['get', 'pods', '--bogus'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n",
    })
    expect(await kubectl(['get', 'pods', '-Z'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "Error: unknown shorthand flag: 'Z' in -Z\nSee 'kubectl get --help' for usage.\n",
    })
    createCluster()
    expect(await kubectl(['create', 'frob'])).toMatchObject({
      exitCode: 1,
      stderr: "error: Unexpected args: [frob]\nSee 'kubectl create -h' for help and examples\n",
    })
  })

  it('refuses a real flag the verb does not honour instead of ignoring it', async () => {
    createCluster()
    expect(await kubectl(['get', 'pods', '-w', '--output-watch-events'])).toEqual(refused('get --output-watch-events'))
    expect(await kubectl(['-s', 'https://10.0.0.1:6443', 'get', 'pods'])).toEqual(refused('get --server'))
    expect(await kubectl(['logs', '--all-containers', 'cilium-x'])).toEqual(refused('logs --all-containers'))
    expect(await kubectl(['port-forward', 'svc/kubernetes', '8080:443', '--address', '0.0.0.0'])).toEqual(
      refused('port-forward --address 0.0.0.0'),
    )
    expect(await kubectl(['apply', '-f', 'x.yaml', '--server-side'])).toEqual(refused('apply --server-side'))
    expect(await kubectl(['label', 'nodes', '--all', 'a=b'])).toEqual(refused('label --all'))
    expect(await kubectl(['describe', 'nodes', '--show-events=false'])).toEqual(refused('describe --show-events'))
    expect((await kubectl(['diff', '-f', 'x.yaml', '--server-side'])).stderr).toBe(
      "kubectl: 'diff --server-side' is not available in the twin lab\nClient-side kubectl apply -f gives the same objects.\n",
    )
  })

  it('honours what it accepts: --context of the one cluster, -c of a real container, --show-kind, --ignore-not-found', async () => {
    createCluster()
    expect(await kubectl(['--context', 'kind-other', 'get', 'nodes'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: context was not found for specified context: kind-other\n',
    })
    expect((await kubectl(['--context=kind-clab-bgp', 'get', 'nodes', '-o', 'name'])).stdout).toBe(
      'node/clab-bgp-control-plane\n',
    )
    expect((await kubectl(['get', 'deploy', '-n', 'kube-system', '--show-kind', '--no-headers'])).stdout).toMatch(
      /^deployment\.apps\/coredns\s/,
    )
    expect(await kubectl(['get', 'svc', 'nope', '--ignore-not-found'])).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(await kubectl(['get', 'svc', 'kubernetes', '-A'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: a resource cannot be retrieved by name across all namespaces\n',
    })
    fake.cluster.store.patch(
      'Pod',
      'kube-system',
      'etcd-clab-bgp-control-plane',
      (o) => void (o.status = { phase: 'Running' }),
    )
    expect(
      await kubectl(['exec', '-n', 'kube-system', 'etcd-clab-bgp-control-plane', '-c', 'nope', '--', 'true']),
    ).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (BadRequest): container nope is not valid for pod etcd-clab-bgp-control-plane\n',
    })
  })
})
