import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { addKindNode } from '../cluster/fake-lab.ts'
import { kubectlTool } from './kubectl.ts'

// Entering a container's namespaces needs a running lab (container-root.lab.test.ts): here, the prefix names it.
vi.mock('../container/container-root.ts', () => ({
  CONTAINER_BIN: '/usr/local/bin',
  containerFiles: () => ({ bin: '/nonexistent', bashrc: '/nonexistent' }),
  enterContainer: async (_lab: unknown, spec: { key: string; hostname: string }) => ['enter', spec.key, spec.hostname],
  containerPtmx: async (_lab: unknown, spec: { key: string }) => `/${spec.key}/dev/pts/ptmx`,
}))

/** A lab without namespaces: kubectl's own behaviour (messages, store), no controllers. */
const fake = useFakeCluster('kubectl-test-')
const kubectl = (argv: string[], stdin: string | null = null, tty = false) => fake.call(kubectlTool, argv, stdin, tty)

function createCluster() {
  fake.createKindCluster({
    cilium: true,
    nodes: [{ name: 'clab-bgp-control-plane', role: 'control-plane', labels: { rack: 'rack0' } }],
  })
}

const svcYaml = (label: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: cni\n  labels:\n    color: ${label}\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n  selector:\n    app: cni\n`

describe('kubectl against the lab store', () => {
  it('is refused before a cluster exists', async () => {
    expect(await kubectl(['get', 'nodes'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
    })
  })

  it('applies: created, unchanged, configured; keeps the allocated ClusterIP and node port', async () => {
    createCluster()
    writeFileSync(join(fake.dir, 'svc.yaml'), svcYaml('red'))
    expect((await kubectl(['apply', '-f', 'svc.yaml'])).stdout).toBe('service/cni created\n')
    const first = JSON.parse((await kubectl(['get', 'svc', 'cni', '-o', 'json'])).stdout)
    expect(first.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/)
    expect(first.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000)
    expect((await kubectl(['apply', '-f', 'svc.yaml'])).stdout).toBe('service/cni unchanged\n')
    expect((await kubectl(['apply', '-f', '-'], svcYaml('blue'))).stdout).toBe('service/cni configured\n')
    const second = JSON.parse((await kubectl(['get', 'svc', 'cni', '-o', 'json'])).stdout)
    expect([second.spec.clusterIP, second.spec.ports[0].nodePort, second.metadata.labels.color]).toEqual([
      first.spec.clusterIP,
      first.spec.ports[0].nodePort,
      'blue',
    ])
    expect(await kubectl(['create', '-f', 'svc.yaml'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (AlreadyExists): error when creating "svc.yaml": services "cni" already exists\n',
    })
    expect((await kubectl(['get', 'svc', '-o', 'name'])).stdout).toBe('service/cni\nservice/kubernetes\n')
    expect((await kubectl(['get', 'svc', 'cni', '-o', 'yaml'])).stdout).toMatch(
      /^apiVersion: v1\nkind: Service\nmetadata:\n {2}annotations:\n[\s\S]*\n {2}ports:\n {2}- nodePort: \d+\n {4}port: 80\n/,
    )
    expect((await kubectl(['get', 'svc', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout).toBe('cni kubernetes')
    expect(
      (
        await kubectl([
          'get',
          'svc',
          '-l',
          'color=blue',
          '--no-headers',
          '-o',
          'custom-columns=N:.metadata.name,T:.spec.type',
        ])
      ).stdout,
    ).toBe('cni   LoadBalancer\n')
    expect((await kubectl(['get', 'svc', '--field-selector', 'metadata.name!=cni', '-o', 'name'])).stdout).toBe(
      'service/kubernetes\n',
    )
    expect(await kubectl(['get', 'svc', '--field-selector', 'spec.type!=LoadBalancer'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector "", field selector "spec.type!=LoadBalancer": field label not supported: spec.type\n',
    })
    expect((await kubectl(['get', 'svc', '--sort-by', '.spec.type', '-o', 'name'])).stdout).toBe(
      'service/kubernetes\nservice/cni\n',
    )
    expect(await kubectl(['delete', 'svc', 'cni', 'nope'])).toEqual({
      exitCode: 1,
      stdout: 'service "cni" deleted\n',
      stderr: 'Error from server (NotFound): services "nope" not found\n',
    })
  })

  it('prints kubectl 1.23 messages for empty lists, unknown types and kinds, and refused policies', async () => {
    createCluster()
    expect(await kubectl(['get', 'pods'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
    })
    expect(await kubectl(['get', 'foo'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: the server doesn\'t have a resource type "foo"\n',
    })
    expect(
      (await kubectl(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n')).stderr,
    ).toBe('error: unable to recognize "STDIN": no matches for kind "Widget" in version "example.com/v1"\n')
    const bare =
      'apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeeringPolicy\nmetadata:\n  name: rack0\nspec:\n  nodeSelector: {}\n  virtualRouters:\n  - localASN: 65005\n    neighbors:\n    - peerAddress: "10.1.5.1"\n      peerASN: 65005\n'
    expect((await kubectl(['apply', '-f', '-'], bare)).stderr).toBe(
      'Error from server (Invalid): error when creating "STDIN": CiliumBGPPeeringPolicy.cilium.io "rack0" is invalid: spec.virtualRouters[0].neighbors[0].peerAddress: Invalid value: "10.1.5.1": spec.virtualRouters[0].neighbors[0].peerAddress in body must be of type cidr: "10.1.5.1"\n',
    )
    expect((await kubectl(['apply', '-f', '-'], bare.replace('"10.1.5.1"', '"10.1.5.1/24"'))).stdout).toBe(
      'ciliumbgppeeringpolicy.cilium.io/rack0 created\n',
    )
    expect((await kubectl(['get', 'bgpp', '--no-headers'])).stdout).toMatch(/^rack0\s+\d+s\n$/)
    expect((await kubectl(['api-resources'])).stdout).toMatch(
      /^ciliumloadbalancerippools\s+ippool,ippools,lbippool,lbippools\s+cilium\.io\/v2alpha1\s+false\s+CiliumLoadBalancerIPPool$/m,
    )
    expect((await kubectl(['config', 'current-context'])).stdout).toBe('kind-clab-bgp\n')
  })

  it('taints and labels nodes, scales deployments like kubectl', async () => {
    createCluster()
    const node = 'clab-bgp-control-plane'
    expect((await kubectl(['taint', 'nodes', node, 'node-role.kubernetes.io/master:NoSchedule-'])).stdout).toBe(
      `node/${node} untainted\n`,
    )
    expect((await kubectl(['taint', 'nodes', node, 'node-role.kubernetes.io/master:NoSchedule-'])).stderr).toBe(
      'error: taint "node-role.kubernetes.io/master:NoSchedule" not found\n',
    )
    expect((await kubectl(['label', 'nodes', node, 'rack=rack1'])).stderr).toBe(
      "error: 'rack' already has a value (rack0), and --overwrite is false\n",
    )
    expect((await kubectl(['label', 'nodes', node, 'rack=rack1', '--overwrite'])).stdout).toBe(`node/${node} labeled\n`)
    // -L: a column per key, named after its last segment; --show-labels after them, sorted by key.
    const columns = (
      await kubectl(['get', 'nodes', '-L', 'rack,kubernetes.io/hostname', '-L', 'nope', '--show-labels'])
    ).stdout
    const [header, row] = columns.split('\n')
    expect(header).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION +RACK +HOSTNAME +NOPE +LABELS$/)
    expect(row).toMatch(new RegExp(`^${node} .* rack1 +${node} +\\S+$`))
    const labels = row.split(/ +/).at(-1)!.split(',')
    expect(labels).toEqual([...labels].sort())
    expect(labels).toContain('rack=rack1')
    expect((await kubectl(['scale', 'deploy/coredns', '-n', 'kube-system', '--replicas=3'])).stdout).toBe(
      'deployment.apps/coredns scaled\n',
    )
    expect(fake.cluster.store.get('Deployment', 'kube-system', 'coredns')!.spec.replicas).toBe(3)
    expect((await kubectl(['scale', 'deployment', 'nope', '--replicas=1'])).stderr).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    )
    // A DaemonSet has no /scale subresource: the API server's 404 for it, as client-go's scale client reports it.
    expect(await kubectl(['scale', 'ds', 'kube-proxy', '-n', 'kube-system', '--replicas=2'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): the server could not find the requested resource\n',
    })
  })

  it("exec runs in the pod's container (the node's for host-network pods); -it hands the shell to the shim", async () => {
    createCluster()
    const ran: { argv: string[]; ns?: string; exact?: boolean }[] = []
    fake.lab.run = async (argv, options) => {
      ran.push({ argv, ns: options?.ns, exact: options?.exact })
      return argv.at(-1) === 'false'
        ? { exitCode: 1, stdout: '', stderr: '' }
        : { exitCode: 0, stdout: 'default via 10.98.0.1 dev eth0\n', stderr: '' }
    }
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cni-8cnm5', namespace: 'default' },
      spec: { nodeName: 'clab-bgp-control-plane', containers: [{ name: 'nettoolbox', image: 'x' }] },
      status: { phase: 'Running' },
    })
    expect(await kubectl(['exec', 'cni-8cnm5', '--', 'ip', 'route'])).toEqual({
      exitCode: 0,
      stdout: 'default via 10.98.0.1 dev eth0\n',
      stderr: '',
    })
    const pod = ['enter', 'pod-cni-8cnm5', 'cni-8cnm5']
    // In the container's own environment (its PATH and host name, the kubelet's service variables), nothing of the
    // lab host's; the output is passed on as the command wrote it (exact), not trimmed and re-terminated.
    const { argv, exact } = ran.at(-1)!
    expect(exact).toBe(true)
    expect(argv.slice(0, 9)).toEqual([
      ...pod,
      'env',
      '-i',
      '-C',
      '/',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=cni-8cnm5',
    ])
    expect(argv.slice(-3)).toEqual(['HOME=/root', 'ip', 'route'])
    expect((await kubectl(['exec', '-it', 'cni-8cnm5', '--', 'bash'], null, true)).execLocal).toEqual(
      expect.arrayContaining([...pod, 'TERM=xterm', 'bash']),
    )
    // A command the container does not have: containerd's error as kubectl prints it, not the twin's nsenter's.
    expect(await kubectl(['exec', 'cni-8cnm5', '--', 'no-such-binary'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-binary": executable file not found in \$PATH: unknown\n$/,
      ),
    })
    expect(await kubectl(['exec', 'cni-8cnm5', '--', 'false'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'command terminated with exit code 1\n',
    })
    const etcd = 'etcd-clab-bgp-control-plane'
    fake.cluster.store.patch('Pod', 'kube-system', etcd, (o) => void (o.status = { phase: 'Running' }))
    addKindNode(fake.lab, 'clab-bgp-control-plane', 0)
    await kubectl(['exec', '-n', 'kube-system', etcd, '--', 'ip', 'route'])
    expect(ran.at(-1)?.argv.slice(0, 3)).toEqual(['enter', 'clab-bgp-control-plane', 'clab-bgp-control-plane'])
    expect(ran.at(-1)?.argv.slice(-2)).toEqual(['ip', 'route'])
    expect((await kubectl(['exec', 'nope', '--', 'ls'])).stderr).toBe(
      'Error from server (NotFound): pods "nope" not found\n',
    )
  })

  it('describes services with their endpoints and policies generically', async () => {
    createCluster()
    await kubectl(['apply', '-f', '-'], svcYaml('red'))
    fake.cluster.store.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'cni', namespace: 'default' },
      subsets: [
        {
          addresses: ['10.98.0.18', '10.98.1.39', '10.98.2.249', '10.98.3.166'].map((ip) => ({ ip })),
          ports: [{ port: 80, protocol: 'TCP' }],
        },
      ],
    })
    fake.cluster.store.patch(
      'Service',
      'default',
      'cni',
      (o) => void (o.status = { loadBalancer: { ingress: [{ ip: '30.0.10.203' }] } }),
    )
    const svc = (await kubectl(['describe', 'svc', 'cni'])).stdout
    expect(svc).toMatch(/^Name:\s+cni\n/)
    expect(svc).toMatch(/^LoadBalancer Ingress:\s+30\.0\.10\.203$/m)
    expect(svc).toMatch(/^Endpoints:\s+10\.98\.0\.18:80,10\.98\.1\.39:80,10\.98\.2\.249:80 \+ 1 more\.\.\.$/m)
    await kubectl(
      ['apply', '-f', '-'],
      'apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeeringPolicy\nmetadata:\n  name: rack0\nspec:\n  nodeSelector:\n    matchLabels:\n      rack: rack0\n  virtualRouters:\n  - localASN: 65005\n    exportPodCIDR: true\n    neighbors:\n    - peerAddress: 10.1.5.1/24\n      peerASN: 65005\n',
    )
    const policy = (await kubectl(['describe', 'ciliumbgppeeringpolicies', 'rack0'])).stdout
    expect(policy).toContain(
      'Spec:\n  Node Selector:\n    Match Labels:\n      Rack:  rack0\n  Virtual Routers:\n    Export Pod CIDR:  true\n    Local ASN:        65005\n',
    )
  })

  it('parses flags before the verb like cobra: -n, --namespace=, -A, --context', async () => {
    createCluster()
    const inKubeSystem = (await kubectl(['get', 'deploy', '-n', 'kube-system', '-o', 'name'])).stdout
    expect(inKubeSystem).toBe('deployment.apps/coredns\n')
    expect((await kubectl(['-n', 'kube-system', 'get', 'deploy', '-o', 'name'])).stdout).toBe(inKubeSystem)
    expect((await kubectl(['--namespace=kube-system', '-o', 'name', 'get', 'deploy'])).stdout).toBe(inKubeSystem)
    expect(
      (await kubectl(['--context', 'kind-clab-bgp', '--namespace', 'kube-system', 'get', 'deployments', '-o', 'name']))
        .stdout,
    ).toBe(inKubeSystem)
    expect((await kubectl(['get', '-A', 'svc', '-o', 'name'])).stdout).toBe(
      (await kubectl(['get', 'svc', '-A', '-o', 'name'])).stdout,
    )
    expect((await kubectl(['-n', 'kube-system', 'describe', 'deploy', 'coredns'])).stdout).toMatch(
      /^Name:\s+coredns\nNamespace:\s+kube-system\n/,
    )
    expect(await kubectl(['-n', 'kube-system', 'frobnicate'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: unknown command "frobnicate" for "kubectl"\nRun \'kubectl --help\' for usage.\n',
    })
    // kubectl takes an unknown flag before the command for a plugin's (checked against the real binary).
    expect(await kubectl(['--bogus', 'get', 'pods'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error: flags cannot be placed before plugin name: --bogus\n',
    })
    expect((await kubectl(['--help'])).stdout).toMatch(/^kubectl controls the Kubernetes cluster manager\./)
  })

  it('version: --client needs no cluster; --short prints the bare versions', async () => {
    const full =
      'version.Info{Major:"1", Minor:"23", GitVersion:"v1.23.4", GitCommit:"e6c093d87ea4cbb530a7b2ae91e54c0842d8308a", GitTreeState:"clean", BuildDate:"2022-02-16T12:38:05Z", GoVersion:"go1.17.7", Compiler:"gc", Platform:"linux/amd64"}'
    expect(await kubectl(['version', '--client'])).toEqual({
      exitCode: 0,
      stdout: `Client Version: ${full}\n`,
      stderr: '',
    })
    expect(await kubectl(['version', '--client', '--short'])).toEqual({
      exitCode: 0,
      stdout: 'Client Version: v1.23.4\n',
      stderr: '',
    })
    expect(await kubectl(['version', '--short'])).toMatchObject({
      exitCode: 1,
      stdout: 'Client Version: v1.23.4\n',
      stderr: expect.stringMatching(/was refused/),
    })
    createCluster()
    expect(await kubectl(['--context', 'kind-clab-bgp', 'version', '--short'])).toEqual({
      exitCode: 0,
      stdout: 'Client Version: v1.23.4\nServer Version: v1.23.4\n',
      stderr: '',
    })
  })
})

describe('kubectl help', () => {
  // `kubectl --help` as a v1.23.0 kubectl prints it (not wrapped: the twin's output is not a terminal kubectl sizes).
  const ROOT_HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/overview/

Basic Commands (Beginner):
  create        Create a resource from a file or from stdin
  expose        Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run           Run a particular image on the cluster
  set           Set specific features on objects

Basic Commands (Intermediate):
  explain       Get documentation for a resource
  get           Display one or many resources
  edit          Edit a resource on the server
  delete        Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout       Manage the rollout of a resource
  scale         Set a new size for a deployment, replica set, or replication controller
  autoscale     Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate   Modify certificate resources.
  cluster-info  Display cluster information
  top           Display resource (CPU/memory) usage
  cordon        Mark node as unschedulable
  uncordon      Mark node as schedulable
  drain         Drain node in preparation for maintenance
  taint         Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe      Show details of a specific resource or group of resources
  logs          Print the logs for a container in a pod
  attach        Attach to a running container
  exec          Execute a command in a container
  port-forward  Forward one or more local ports to a pod
  proxy         Run a proxy to the Kubernetes API server
  cp            Copy files and directories to and from containers
  auth          Inspect authorization
  debug         Create debugging sessions for troubleshooting workloads and nodes

Advanced Commands:
  diff          Diff the live version against a would-be applied version
  apply         Apply a configuration to a resource by file name or stdin
  patch         Update fields of a resource
  replace       Replace a resource by file name or stdin
  wait          Experimental: Wait for a specific condition on one or many resources
  kustomize     Build a kustomization target from a directory or URL.

Settings Commands:
  label         Update the labels on a resource
  annotate      Update the annotations on a resource
  completion    Output shell completion code for the specified shell (bash, zsh or fish)

Other Commands:
  alpha         Commands for features in alpha
  api-resources Print the supported API resources on the server
  api-versions  Print the supported API versions on the server, in the form of "group/version"
  config        Modify kubeconfig files
  plugin        Provides utilities for interacting with plugins
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`

  it('prints kubectl 1.23 top-level help for kubectl, kubectl help, --help and -h, with or without a cluster', async () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']])
      expect(await kubectl(argv)).toEqual({ exitCode: 0, stdout: ROOT_HELP, stderr: '' })
    createCluster()
    expect((await kubectl(['-n', 'kube-system', '--help'])).stdout).toBe(ROOT_HELP)
  })
})
