import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-create-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function createCluster() {
  fake.createKindCluster()
}

describe('kubectl create namespace|deployment|configmap', () => {
  it('creates a namespace, labelled with its name, once', async () => {
    createCluster()
    expect(await kubectl(['create', 'namespace', 'demo'])).toEqual({
      exitCode: 0,
      stdout: 'namespace/demo created\n',
      stderr: '',
    })
    expect(fake.cluster.store.get('Namespace', undefined, 'demo')!.metadata.labels).toEqual({
      'kubernetes.io/metadata.name': 'demo',
    })
    expect(await kubectl(['create', 'ns', 'demo'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (AlreadyExists): namespaces "demo" already exists\n',
    })
    expect(await kubectl(['create', 'namespace'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples\n",
    })
  })

  it("creates a deployment as 1.23's generator builds it; --dry-run=client -o yaml prints it unsent", async () => {
    createCluster()
    expect(
      await kubectl(['create', 'deployment', 'web', '--image=k8s.gcr.io/echoserver:1.4', '--replicas=2', '--port=80']),
    ).toEqual({ exitCode: 0, stdout: 'deployment.apps/web created\n', stderr: '' })
    const web = fake.cluster.store.get('Deployment', 'default', 'web')!
    expect(web.spec).toEqual({
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: {},
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { image: 'k8s.gcr.io/echoserver:1.4', name: 'echoserver', ports: [{ containerPort: 80 }], resources: {} },
          ],
        },
      },
    })
    expect(await kubectl(['create', 'deploy', 'web2', '--image=nginx', '--dry-run=client', '-o', 'yaml'])).toEqual({
      exitCode: 0,
      stdout:
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web2\n  name: web2\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web2\n  strategy: {}\n' +
        '  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web2\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n',
      stderr: '',
    })
    expect(fake.cluster.store.get('Deployment', 'default', 'web2')).toBeUndefined()
    expect(await kubectl(['create', 'deployment', 'web3'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: required flag(s) "image" not set\n',
    })
    expect(await kubectl(['create', 'deployment', 'web3', '--image=nginx', '-n', 'nope'])).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (NotFound): namespaces "nope" not found\n',
    })
  })

  it('creates a config map from literals, files and env files', async () => {
    createCluster()
    writeFileSync(join(fake.dir, 'bgp.conf'), 'router bgp 65005\n')
    writeFileSync(join(fake.dir, 'app.env'), '# comment\nCOLOR=blue\n\nSIZE=2\n')
    expect(
      await kubectl([
        'create',
        'configmap',
        'cfg',
        '--from-literal=a=1',
        '--from-literal=b=x=y',
        '--from-file=bgp.conf',
        '--from-file=frr=bgp.conf',
      ]),
    ).toEqual({ exitCode: 0, stdout: 'configmap/cfg created\n', stderr: '' })
    expect(fake.cluster.store.get('ConfigMap', 'default', 'cfg')!.data).toEqual({
      a: '1',
      b: 'x=y',
      'bgp.conf': 'router bgp 65005\n',
      frr: 'router bgp 65005\n',
    })
    expect((await kubectl(['create', 'cm', 'env', '--from-env-file=app.env'])).stdout).toBe('configmap/env created\n')
    expect(fake.cluster.store.get('ConfigMap', 'default', 'env')!.data).toEqual({ COLOR: 'blue', SIZE: '2' })
    expect(await kubectl(['create', 'cm', 'bad', '--from-literal=oops'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: invalid literal source oops, expected key=value\n',
    })
    expect(await kubectl(['create', 'cm', 'dup', '--from-literal=a=1', '--from-literal=a=2'])).toMatchObject({
      exitCode: 1,
      stderr: 'error: cannot add key a, another key by that name already exists in Data for ConfigMap "dup"\n',
    })
  })

  it('refuses the create subcommands it does not emulate, honestly', async () => {
    createCluster()
    expect(await kubectl(['create', 'secret', 'generic', 'x'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "kubectl: 'create secret' is not available in the twin lab\nWrite the object in a YAML manifest and kubectl apply -f it.\n",
    })
  })
})
