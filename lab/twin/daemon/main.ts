/**
 * The twin daemon: one process per lab, holding its state and serving every tool call of the lab host.
 *
 * Started by the twin backend with a pipe on stdin. When that pipe closes (the runner exits, crashes or is killed)
 * the daemon tears the whole lab down and exits, so no namespace or routing daemon outlives the runner. It prints one
 * JSON line on stdout: `{"ready":{...}}` once the lab host is usable, or `{"error":{"code","message"}}`.
 *
 * Usage: tsx lab/twin/daemon/main.ts [--state-root DIR] [--workspace-source DIR] [--keep-workspace DIR] [--rootless]
 * (--rootless: started by the backend inside `unshare --user --map-root-user --mount --net --pid --fork`)
 */
import { parseArgs } from 'node:util'
import type { LabContext } from '../context.ts'
import { cleanLeftovers } from '../net/lab-marker.ts'
import type { DaemonReady } from './lab-host.ts'
import { openLab } from './open-lab.ts'
import { prepareRootlessMounts } from './rootless-mounts.ts'

const { values } = parseArgs({
  options: {
    'state-root': { type: 'string' },
    'workspace-source': { type: 'string' },
    'keep-workspace': { type: 'string' },
    rootless: { type: 'boolean' },
  },
})

// Once the runner is gone its end of these pipes is closed: writing to them must not crash the teardown (EPIPE).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)

const log = (line: string) => process.stderr.write(`[twin ${new Date().toISOString()}] ${line}\n`)

let lab: LabContext | undefined
let stopping: Promise<void> | undefined

function shutdown(why: string): Promise<void> {
  stopping ??= (async () => {
    log(`tearing down (${why})`)
    try {
      await lab?.teardown()
    } finally {
      process.exit(0)
    }
  })()
  return stopping
}

async function start(): Promise<DaemonReady> {
  // Rootless: the lab lives in namespaces of its own that the kernel removes with this process; no leftovers exist.
  if (values.rootless) await prepareRootlessMounts()
  const cleaned = values.rootless ? [] : await cleanLeftovers()
  if (cleaned.length > 0) log(`cleaned leftovers of crashed labs: ${cleaned.join(', ')}`)
  const opened = await openLab({
    stateRoot: values['state-root'],
    workspaceSource: values['workspace-source'],
    keepWorkspace: values['keep-workspace'],
    log,
  })
  lab = opened.lab
  return { id: lab.id, runDir: lab.runDir, workspace: lab.workspace, hostNs: opened.hostNs, pid: process.pid }
}

process.stdin.on('end', () => void shutdown('runner gone'))
process.stdin.on('close', () => void shutdown('runner gone'))
process.stdin.resume()
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal))
// A bug must still tear the lab down: dying here without teardown would leave namespaces until the next `up`.
process.on('uncaughtException', (error) => void shutdown(`uncaught: ${error.stack ?? error.message}`))
process.on('unhandledRejection', (reason) => void shutdown(`unhandled rejection: ${String(reason)}`))

start().then(
  (ready) => process.stdout.write(`${JSON.stringify({ ready })}\n`),
  async (error: Error & { code?: string }) => {
    process.stdout.write(
      `${JSON.stringify({ error: { code: error.code ?? 'TWIN_START_FAILED', message: error.message } })}\n`,
    )
    await shutdown('start failed')
  },
)
