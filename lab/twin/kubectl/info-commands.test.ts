import { describe, expect, it } from 'vitest'
import { ciliumCrds } from '../cluster/crds.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { callTool } from '../daemon/call-tool.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-info-')
const kubectl = (argv: string[], stdin: string | null = null) => fake.call(kubectlTool, argv, stdin)

function createCluster(withCilium = true) {
  fake.createKindCluster({ cilium: withCilium })
}

const CILIUM_CRDS = [
  'ciliumbgppeeringpolicies',
  'ciliumclusterwidenetworkpolicies',
  'ciliumendpoints',
  'ciliumexternalworkloads',
  'ciliumidentities',
  'ciliumloadbalancerippools',
  'ciliumnetworkpolicies',
  'ciliumnodeconfigs',
  'ciliumnodes',
]

describe('kubectl api-resources and get crd', () => {
  it("lists 1.23's built-in resources in its columns and order, then what the installed CRDs add", async () => {
    createCluster(false)
    const bare = await kubectl(['api-resources'])
    const lines = bare.stdout.split('\n')
    expect(lines[0]).toBe(
      'NAME                              SHORTNAMES   APIVERSION                             NAMESPACED   KIND',
    )
    expect(lines[1]).toBe(
      'bindings                                       v1                                     true         Binding',
    )
    expect(bare.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m)
    expect(bare.stdout).toMatch(/^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m)
    expect(bare.stdout).toMatch(/^podsecuritypolicies\s+psp\s+policy\/v1beta1\s+false\s+PodSecurityPolicy$/m)
    expect(bare.stdout).not.toContain('cilium')
    expect(lines.filter(Boolean)).toHaveLength(57)
    for (const crd of ciliumCrds(true)) fake.cluster.store.create(crd)
    expect((await kubectl(['api-resources', '-o', 'name', '--api-group', 'cilium.io'])).stdout).toBe(
      CILIUM_CRDS.map((n) => `${n}.cilium.io\n`).join(''),
    )
    expect(
      (await kubectl(['api-resources', '--no-headers', '--api-group=cilium.io', '--namespaced=true'])).stdout,
    ).toBe(
      'ciliumendpoints         cep,ciliumep   cilium.io/v2         true   CiliumEndpoint\n' +
        'ciliumnetworkpolicies   cnp,ciliumnp   cilium.io/v2         true   CiliumNetworkPolicy\n' +
        'ciliumnodeconfigs                      cilium.io/v2alpha1   true   CiliumNodeConfig\n',
    )
    expect(await kubectl(['api-resources', '-o', 'json'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: --output json is not available\n',
    })
  })

  it('get crd prints NAME and CREATED AT for every Cilium 1.13 CRD', async () => {
    createCluster()
    const { stdout } = await kubectl(['get', 'crd'])
    const rows = stdout.trimEnd().split('\n')
    expect(rows[0]).toBe('NAME                                         CREATED AT')
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(CILIUM_CRDS.map((n) => `${n}.cilium.io`))
    expect(rows[1]).toMatch(/^ciliumbgppeeringpolicies\.cilium\.io {11}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })
})

describe('kubectl version -o', () => {
  // As kubectl v1.23.0 prints them: two-space JSON, YAML with sorted keys and a blank line after it.
  it('prints the client and server versions as one JSON or YAML document', async () => {
    expect(await kubectl(['version', '-o', 'json', '--client'])).toEqual({
      exitCode: 0,
      stdout: expect.stringMatching(
        /^\{\n {2}"clientVersion": \{\n {4}"major": "1",\n {4}"minor": "23",\n {4}"gitVersion": "v1\.23\.4",\n/,
      ),
      stderr: '',
    })
    // No cluster: the client's document, then the refused connection.
    const alone = await kubectl(['version', '-o', 'yaml'])
    expect(alone.exitCode).toBe(1)
    expect(alone.stdout).toMatch(/^clientVersion:\n {2}buildDate: "2022-02-16T12:38:05Z"\n {2}compiler: gc\n/)
    expect(alone.stdout.endsWith('  platform: linux/amd64\n\n')).toBe(true)
    expect(alone.stderr).toMatch(/was refused/)
    createCluster(false)
    const both = JSON.parse((await kubectl(['version', '-o', 'json'])).stdout)
    expect(Object.keys(both)).toEqual(['clientVersion', 'serverVersion'])
    expect(both.serverVersion.gitVersion).toBe('v1.23.4')
    expect(await kubectl(['version', '-o', 'xml'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "error: --output must be 'yaml' or 'json'\n",
    })
  })
})

describe('kubectl top, auth can-i, config view', () => {
  it('cluster-info colours names and links as go-colortext does, unless TERM is dumb (as the real binary)', async () => {
    createCluster()
    const info = (env: Record<string, string>) =>
      callTool(kubectlTool, fake.lab, ['cluster-info'], { cwd: fake.dir, env })
    const coloured = await info({ TERM: 'xterm' })
    expect(coloured.stdout).toMatch(
      /^\x1b\[0;32mKubernetes control plane\x1b\[0m is running at \x1b\[0;33mhttps:\/\/127\.0\.0\.1:\d+\x1b\[0m\n\x1b\[0;32mCoreDNS\x1b\[0m is running at /,
    )
    expect(coloured.stdout).toMatch(
      /\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'\.\n$/,
    )
    expect((await info({ TERM: 'dumb' })).stdout).toMatch(/^Kubernetes control plane is running at https:/)
  })

  it('top: a kind cluster has no metrics server', async () => {
    expect(await kubectl(['top', 'nodes'])).toMatchObject({
      exitCode: 1,
      stderr: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
    })
    createCluster()
    expect(await kubectl(['top', 'nodes'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: Metrics API not available\n',
    })
    expect(await kubectl(['top', 'pod', '-A', '--containers'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: Metrics API not available\n',
    })
    // Its help on stderr, exit 1 (cmdutil.DefaultSubCommandRun on ErrOut, checked against the real binary).
    expect(await kubectl(['top'])).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: expect.stringMatching(/^Display Resource \(CPU\/Memory\) usage\.\n/),
    })
  })

  it("auth can-i: kind's admin may do everything", async () => {
    createCluster()
    expect(await kubectl(['auth', 'can-i', 'create', 'pods'])).toEqual({ exitCode: 0, stdout: 'yes\n', stderr: '' })
    expect(await kubectl(['auth', 'can-i', 'delete', 'ciliumbgppeeringpolicies', '-A'])).toEqual({
      exitCode: 0,
      stdout: 'yes\n',
      stderr: '',
    })
    expect(await kubectl(['auth', 'can-i', 'get', '/healthz'])).toEqual({ exitCode: 0, stdout: 'yes\n', stderr: '' })
    expect(await kubectl(['auth', 'can-i', 'get', 'widgets', '-q'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: "Warning: the server doesn't have a resource type 'widgets'\n",
    })
    expect(await kubectl(['auth', 'can-i', 'get'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: you must specify two or three arguments: verb, resource, and optional resourceName\n',
    })
    expect(await kubectl(['auth', 'can-i', '--list'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^kubectl: 'auth can-i --list' is not available in the twin lab\n/),
    })
  })

  it("config view: kind's kubeconfig with its secrets left out, as kubectl prints it", async () => {
    expect(await kubectl(['config', 'view'])).toEqual({
      exitCode: 0,
      stdout:
        'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n',
      stderr: '',
    })
    expect((await kubectl(['config', 'view', '-o', 'json'])).stdout).toBe(
      '{\n    "kind": "Config",\n    "apiVersion": "v1",\n    "preferences": {},\n    "clusters": null,\n    "users": null,\n    "contexts": null,\n    "current-context": ""\n}\n',
    )
    createCluster()
    const view = [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      '    certificate-authority-data: DATA+OMITTED',
      '    server: https://127.0.0.1:6443',
      '  name: kind-clab-bgp',
      'contexts:',
      '- context:',
      '    cluster: kind-clab-bgp',
      '    user: kind-clab-bgp',
      '  name: kind-clab-bgp',
      'current-context: kind-clab-bgp',
      'kind: Config',
      'preferences: {}',
      'users:',
      '- name: kind-clab-bgp',
      '  user:',
      '    client-certificate-data: REDACTED',
      '    client-key-data: REDACTED',
      '',
    ].join('\n')
    expect(await kubectl(['config', 'view'])).toEqual({ exitCode: 0, stdout: view, stderr: '' })
    expect((await kubectl(['config', 'view', '--minify'])).stdout).toBe(view)
    // -o json keeps client-go's struct order with a four-space indent, as kubectl v1.23.0 prints kind's kubeconfig.
    expect((await kubectl(['config', 'view', '-o', 'json'])).stdout).toBe(
      `${[
        '{',
        '    "kind": "Config",',
        '    "apiVersion": "v1",',
        '    "preferences": {},',
        '    "clusters": [',
        '        {',
        '            "name": "kind-clab-bgp",',
        '            "cluster": {',
        '                "server": "https://127.0.0.1:6443",',
        '                "certificate-authority-data": "DATA+OMITTED"',
        '            }',
        '        }',
        '    ],',
        '    "users": [',
        '        {',
        '            "name": "kind-clab-bgp",',
        '            "user": {',
        '                "client-certificate-data": "REDACTED",',
        '                "client-key-data": "REDACTED"',
        '            }',
        '        }',
        '    ],',
        '    "contexts": [',
        '        {',
        '            "name": "kind-clab-bgp",',
        '            "context": {',
        '                "cluster": "kind-clab-bgp",',
        '                "user": "kind-clab-bgp"',
        '            }',
        '        }',
        '    ],',
        '    "current-context": "kind-clab-bgp"',
        '}',
      ].join('\n')}\n`,
    )
    expect((await kubectl(['config', 'view', '-o', 'jsonpath={.users[].name}'])).stdout).toBe('kind-clab-bgp')
    expect((await kubectl(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout).toBe(
      'https://127.0.0.1:6443',
    )
    expect((await kubectl(['config', 'view', '-o', 'name'])).stdout).toBe('config/<unknown>\n')
    expect((await kubectl(['config', 'view', '-o', 'yaml2'])).stderr).toBe(
      'error: unable to match a printer suitable for the output format "yaml2", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    )
    expect(await kubectl(['config', 'view', '--raw'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/^kubectl: 'config --raw' is not available in the twin lab\n/),
    })
  })
})
