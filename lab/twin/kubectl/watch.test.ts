import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bootstrapObjects } from '../cluster/bootstrap.ts'
import { Cluster, registerCluster, unregisterCluster } from '../cluster/cluster.ts'
import { workloadsController } from '../cluster/controllers/workloads.ts'
import { fakeLab } from '../cluster/fake-lab.ts'
import { callTool } from '../daemon/call-tool.ts'
import { serveTools } from '../daemon/server.ts'
import { writeShims } from '../daemon/shims.ts'
import type { ToolHandler, ToolResult } from '../daemon/tool.ts'
import { kubectlTool } from './kubectl.ts'

/**
 * Streaming through the real path a learner's terminal takes: the shim on PATH (Perl client), the daemon's socket,
 * kubectl against a cluster whose workload controllers replace a deleted pod.
 */
let dir: string
let cluster: Cluster
let server: Server
/** Every kubectl call the daemon served, to know when each has really ended. */
let served: Promise<ToolResult>[]

const hostPods = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      hostNetwork: true\n      tolerations:\n      - operator: Exists\n      containers:\n      - name: ${name}\n        image: ${name}\n`

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-watch-'))
  cluster = new Cluster(fakeLab(dir), [workloadsController])
  registerCluster(cluster)
  const record = {
    name: 'kind',
    podSubnet: '10.98.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    disableDefaultCNI: true,
    createdAt: 0,
    nodes: [{ name: 'kind-control-plane', role: 'control-plane' as const, labels: {} }],
  }
  cluster.store.setCluster(record)
  for (const o of bootstrapObjects(record)) cluster.store.create(o)
  served = []
  const kubectl: ToolHandler = (io, lab) => {
    const call = kubectlTool(io, lab)
    served.push(call)
    return call
  }
  writeShims(join(dir, 'bin'), join(dir, 'daemon.sock'), ['kubectl'])
  server = await serveTools(join(dir, 'daemon.sock'), { kubectl }, cluster.lab, () => {})
})

afterEach(async () => {
  server?.close()
  await cluster.stop()
  unregisterCluster(cluster)
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the shim; `output()` is what it printed so far, `until(re)` resolves once the output matches. */
function shim(...argv: string[]) {
  const child = spawn(join(dir, 'bin', 'kubectl'), argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const waiting: { re: RegExp; resolve: () => void }[] = []
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const w of waiting.filter((w) => w.re.test(stdout))) waiting.splice(waiting.indexOf(w), 1) && w.resolve()
  })
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    until: (re: RegExp) =>
      re.test(stdout) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ re, resolve })),
  }
}

/** Resolves once `count` more listeners follow the store: the watches have printed what is and wait for changes. */
function watchersAdded(count: number): Promise<void> {
  return new Promise((resolve) => {
    const added = (event: string | symbol) => {
      if (event !== 'change' || --count > 0) return
      cluster.store.off('newListener', added)
      resolve()
    }
    cluster.store.on('newListener', added)
  })
}

describe('kubectl get -w through the shim', () => {
  it('prints the table, a row for each change (a deleted pod and its replacement), and ends quietly with exit 1 on Ctrl-C', async () => {
    await callTool(kubectlTool, cluster.lab, ['apply', '-f', '-'], { cwd: dir, stdin: hostPods('web') })
    await cluster.settle()
    const [first] = cluster.store.list('Pod', 'default').map((p) => p.metadata.name)
    const listeners = cluster.store.listenerCount('change')
    const watch = shim('get', 'pods', '-w')
    await watch.until(new RegExp(`^NAME +READY +STATUS +RESTARTS +AGE\\n${first} +1/1 +Running +0 +\\d+s\\n$`))

    expect((await callTool(kubectlTool, cluster.lab, ['delete', 'pod', first], { cwd: dir })).stdout).toBe(
      `pod "${first}" deleted\n`,
    )
    await cluster.settle()
    const [second] = cluster.store.list('Pod', 'default').map((p) => p.metadata.name)
    expect(second).not.toBe(first)
    // The deleted pod's last state, then the replacement as it is created, bound, and started.
    await watch.until(new RegExp(`${second} +1/1 +Running +0 +\\d+s\\n$`))
    const rows = watch.output().stdout.split('\n').slice(2, -1)
    expect(rows[0]).toMatch(new RegExp(`^${first} +1/1 +Running +0 +\\d+s$`))
    expect(rows.slice(1).every((row) => row.startsWith(`${second} `))).toBe(true)
    expect(rows[1]).toMatch(/ 0\/1 +Pending +0 +\d+s$/)

    watch.child.kill('SIGINT')
    expect(await watch.exited).toEqual([1, null])
    expect(watch.output().stderr).toBe('')
    // The daemon saw the shim go: the watch returned and stopped listening to the store.
    await Promise.all(served)
    expect(cluster.store.listenerCount('change')).toBe(listeners)
  })

  it('--watch-only prints nothing until a change, then the header with the first row; events stream too', async () => {
    const subscribed = watchersAdded(2)
    const watch = shim('get', 'events', '--watch-only')
    const pods = shim('get', 'pods', '-w', '--watch-only', '-o', 'name')
    await subscribed
    await callTool(kubectlTool, cluster.lab, ['apply', '-f', '-'], { cwd: dir, stdin: hostPods('api') })
    await cluster.settle()
    await watch.until(/Started +pod\/api-\w+-\w{5} +Started container api\n$/)
    expect(watch.output().stdout).toMatch(
      /^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n\d+s +Normal +ScalingReplicaSet +deployment\/api +Scaled up replica set api-\w+ to 1\n/,
    )
    await pods.until(/^pod\/api-\w+-\w{5}\n/)
    for (const session of [watch, pods]) session.child.kill('SIGTERM')
    expect((await Promise.all([watch.exited, pods.exited])).map(([code]) => code)).toEqual([1, 1])
    await Promise.all(served)
  })

  it('refuses to watch two types at once, as kubectl 1.23', async () => {
    const result = await callTool(kubectlTool, cluster.lab, ['get', 'pods,svc', '-w'], {
      cwd: dir,
      signal: new AbortController().signal,
    })
    expect(result).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n',
    })
  })
})
