import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bootstrapObjects } from '../cluster/bootstrap.ts'
import { rfc3339Nano } from '../cluster/cluster.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

/** kubectl logs over what the twin keeps: the controllers' lines for agents, the pod server's own output. */
const fake = useFakeCluster('kubectl-logs-')
const kubectl = (argv: string[]) => fake.call(kubectlTool, argv)

function pod(name: string, labels: Record<string, string>, containers = ['web']) {
  fake.cluster.store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName: 'kind-control-plane', containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
    status: { phase: 'Running' },
  })
}

function setup() {
  const record = {
    name: 'kind',
    podSubnet: '10.98.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    disableDefaultCNI: true,
    createdAt: 0,
    nodes: [{ name: 'kind-control-plane', role: 'control-plane' as const, labels: {} }],
  }
  fake.cluster.store.setCluster(record)
  for (const o of bootstrapObjects(record)) fake.cluster.store.create(o)
  fake.cluster.store.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: {} },
  })
  pod('web-a', { app: 'web' })
  pod('web-b', { app: 'web' })
  pod('two', {}, ['main', 'sidecar'])
  mkdirSync(join(fake.lab.runDir, 'logs'), { recursive: true })
  writeFileSync(
    join(fake.lab.runDir, 'logs', 'httpd-web-a.log'),
    '10.98.0.7:40122: response:200\n10.98.0.7:40130: response:404\n',
  )
  writeFileSync(join(fake.lab.runDir, 'logs', 'httpd-web-b.log'), '10.98.0.9:51000: response:200\n')
  fake.cluster.log('two', 'msg="one"')
  fake.cluster.log('two', 'msg="two"')
}

describe('kubectl logs', () => {
  it("prints a pod server's output, --tail of it, and the first pod of a deployment with kubectl's note", async () => {
    setup()
    expect(await kubectl(['logs', 'web-a'])).toEqual({
      exitCode: 0,
      stdout: '10.98.0.7:40122: response:200\n10.98.0.7:40130: response:404\n',
      stderr: '',
    })
    expect((await kubectl(['logs', 'pod/web-a', '--tail=1'])).stdout).toBe('10.98.0.7:40130: response:404\n')
    // A running pod before a pending one, as kubectl's GetFirstPod sorts them.
    fake.cluster.store.patch('Pod', 'default', 'web-a', (o) => void (o.status.phase = 'Pending'))
    expect(await kubectl(['logs', 'deploy/web'])).toEqual({
      exitCode: 0,
      stdout: '10.98.0.9:51000: response:200\n',
      stderr: 'Found 2 pods, using pod/web-b\n',
    })
  })

  it('-l prints every selected pod with --prefix; -f over more pods than --max-log-requests is refused', async () => {
    setup()
    expect((await kubectl(['logs', '-l', 'app=web', '--prefix'])).stdout).toBe(
      '[pod/web-a/web] 10.98.0.7:40122: response:200\n[pod/web-a/web] 10.98.0.7:40130: response:404\n[pod/web-b/web] 10.98.0.9:51000: response:200\n',
    )
    expect(await kubectl(['logs', '-l', 'app=web', '-f', '--max-log-requests=1'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n',
    })
    expect(await kubectl(['logs', '-l', 'app=none'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
    })
  })

  it('containers: defaults to the first with a note, refuses an unknown one, has no previous one', async () => {
    setup()
    const two = await kubectl(['logs', 'two'])
    expect(two.stderr).toBe('Defaulted container "main" out of: main, sidecar\n')
    // Cilium's agent logs logrus text with no timestamp of its own.
    expect(two.stdout).toBe('level=info msg="one"\nlevel=info msg="two"\n')
    expect(await kubectl(['logs', 'two', '-c', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: container nope is not valid for pod two\n',
    })
    expect(await kubectl(['logs', 'two', '-c', 'sidecar', '-p'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error from server (BadRequest): previous terminated container "sidecar" in pod "two" not found\n',
    })
  })

  it("says it keeps no log of a system component (the real one is never empty), and prints an agent's", async () => {
    setup()
    for (const name of ['cilium-operator-76564696fd-7675q', 'cilium-abcde'])
      fake.cluster.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'kube-system' },
        spec: { nodeName: 'kind-control-plane', hostNetwork: true, containers: [{ name: 'c', image: 'x' }] },
        status: { phase: 'Running' },
      })
    fake.cluster.log('cilium-abcde', 'msg="Cilium 1.13.0-rc5" subsys=daemon')
    const operator = await kubectl(['logs', '-n', 'kube-system', 'cilium-operator-76564696fd-7675q'])
    expect(operator.exitCode).toBe(1)
    expect(operator.stderr).toMatch(
      /^kubectl: 'logs cilium-operator-76564696fd-7675q' is not available in the twin lab\n/,
    )
    expect((await kubectl(['logs', '-n', 'kube-system', 'cilium-abcde'])).stdout).toBe(
      'level=info msg="Cilium 1.13.0-rc5" subsys=daemon\n',
    )
  })

  it("--timestamps stamps each line with its time; --since drops older lines; bad values get Go's errors", async () => {
    setup()
    const stamped = (await kubectl(['logs', 'two', '-c', 'main', '--timestamps'])).stdout.split('\n')[0]
    const [line] = fake.cluster.logs.get('two')!
    expect(stamped).toBe(`${rfc3339Nano(line.time)} level=info msg="one"`)
    fake.cluster.logs.set('two', [
      { time: Date.parse('2020-01-01T00:00:00Z'), text: 'level=info msg="old"' },
      ...fake.cluster.logs.get('two')!,
    ])
    expect((await kubectl(['logs', 'two', '-c', 'main', '--since=1h'])).stdout).not.toContain('old')
    expect((await kubectl(['logs', 'two', '-c', 'main'])).stdout).toContain('msg="old"')
    expect((await kubectl(['logs', 'two', '--since=5x'])).stderr).toBe(
      'Error: invalid argument "5x" for "--since" flag: time: unknown unit "x" in duration "5x"\nSee \'kubectl logs --help\' for usage.\n',
    )
    expect((await kubectl(['logs', 'two', '--tail=x'])).stderr).toBe(
      'Error: invalid argument "x" for "--tail" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'kubectl logs --help\' for usage.\n',
    )
  })

  it('prints RFC3339Nano as Go does', () => {
    expect([rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 120)), rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5))]).toEqual([
      '2024-01-02T03:04:05.12Z',
      '2024-01-02T03:04:05Z',
    ])
  })
})
