import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { execa } from 'execa'
import { beforeEach, describe, expect, it } from 'vitest'
import { metallbCrds } from '../cluster/crds.ts'
import { useFakeCluster } from '../cluster/fake-cluster.ts'
import { kubectlTool } from './kubectl.ts'

const fake = useFakeCluster('kubectl-diff-')
const kubectl = (argv: string[], stdin: string | null = null) => fake.call(kubectlTool, argv, stdin)

const service = (port: number) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: ${port}
`

const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.23
`

const tempFolders = () => readdirSync(tmpdir()).filter((f) => /^(LIVE|MERGED)-\d+$/.test(f))

// GNU diff's header for two folders, as kubectl 1.23 runs it (pkg/cmd/diff/diff.go: `diff -u -N` over
// os.MkdirTemp("", "LIVE-") and ("", "MERGED-"), one file per object named [group.]version.Kind.namespace.name).
const header = (file: string) =>
  new RegExp(
    `^diff -u -N /tmp/LIVE-\\d+/${file} /tmp/MERGED-\\d+/${file}\\n--- /tmp/LIVE-\\d+/${file}\\t.+\\n\\+\\+\\+ /tmp/MERGED-\\d+/${file}\\t.+\\n`,
  )

describe('kubectl diff', () => {
  // The fake lab runs nothing; kubectl diff needs the host's real GNU diff, as lab.run gives it in the twin.
  beforeEach(() => {
    fake.lab.run = async (argv) => {
      const result = await execa(argv[0], argv.slice(1), { reject: false, stripFinalNewline: false })
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
    }
  })

  it('prints a unified diff of the live and the merged YAML, exit 1, and creates nothing', async () => {
    fake.createKindCluster()
    const before = tempFolders()
    const created = await kubectl(['diff', '-f', '-'], service(80))
    expect(created.exitCode).toBe(1)
    expect(created.stdout).toMatch(header('v1.Service.default.web'))
    // A new object: the live file is empty, the merged one is what a server-side dry run of the create returns.
    expect(created.stdout).toMatch(/\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: v1\n\+kind: Service\n/)
    expect(created.stdout).toMatch(/\n\+ {2}uid: [0-9a-f-]{36}\n/)
    expect(created.stdout).not.toContain('resourceVersion')
    expect(fake.cluster.store.get('Service', 'default', 'web')).toBeUndefined()
    expect(tempFolders()).toEqual(before)
  })

  it('exits 0 with nothing printed when the manifest changes nothing, and shows a changed field', async () => {
    fake.createKindCluster()
    await kubectl(['apply', '-f', '-'], service(80))
    expect(await kubectl(['diff', '-f', '-'], service(80))).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    const changed = await kubectl(['diff', '-f', '-'], service(8080))
    expect(changed.exitCode).toBe(1)
    expect(changed.stdout).toContain('   ports:\n-  - port: 80\n+  - port: 8080\n')
    expect(changed.stdout).toContain('-      {"apiVersion":"v1","kind":"Service"')
    expect(fake.cluster.store.get('Service', 'default', 'web')?.spec.ports[0].port).toBe(80)
  })

  it("bumps the generation of a changed spec, and names a grouped object's file with its group", async () => {
    fake.createKindCluster()
    await kubectl(['apply', '-f', '-'], deployment(1))
    const scaled = await kubectl(['diff', '-f', '-'], deployment(3))
    expect(scaled.exitCode).toBe(1)
    expect(scaled.stdout).toMatch(header('apps.v1.Deployment.default.web'))
    expect(scaled.stdout).toContain('-  generation: 1\n+  generation: 2\n')
    expect(scaled.stdout).toContain('-  replicas: 1\n+  replicas: 3\n')
  })

  it("reads the live object at the manifest's version, and names the file after it", async () => {
    fake.createKindCluster()
    for (const crd of metallbCrds()) fake.cluster.store.create(crd)
    await kubectl(['create', 'namespace', 'metallb-system'])
    const peer = (version: string) =>
      `apiVersion: metallb.io/${version}\nkind: BGPPeer\nmetadata:\n  name: spine\n  namespace: metallb-system\nspec:\n  myASN: 65001\n  peerASN: 65000\n  peerAddress: 10.0.0.1\n`
    await kubectl(['apply', '-f', '-'], peer('v1beta2'))
    const older = await kubectl(['diff', '-f', '-'], peer('v1beta1'))
    expect(older.stdout).toMatch(header('metallb\\.io\\.v1beta1\\.BGPPeer\\.metallb-system\\.spine'))
    // Only the last-applied annotation differs (it records the manifest as written), not the served apiVersion.
    expect(older.stdout).not.toMatch(/^[-+]apiVersion/m)
    expect(older.stdout).toMatch(/^-.*"apiVersion":"metallb\.io\/v1beta2"/m)
  })

  it('names a cluster-scoped object with an empty namespace', async () => {
    fake.createKindCluster()
    const ns = await kubectl(['diff', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n')
    expect(ns.stdout).toMatch(header('v1.Namespace..demo'))
  })

  it('exits 2 when kubectl itself fails, as cmdutil.CheckDiffErr does', async () => {
    fake.createKindCluster()
    expect(await kubectl(['diff'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'error: must specify one of -f and -k\n',
    })
    const unknown = await kubectl(['diff', '-f', '-'], 'apiVersion: example.com/v1\nkind: Frob\nmetadata:\n  name: x\n')
    expect(unknown).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'error: unable to recognize "STDIN": no matches for kind "Frob" in version "example.com/v1"\n',
    })
  })
})
