/**
 * `tsx bench/hub/run.ts [--seconds 20] [--interval-ms 2000,200]`: the hub with 1 (baseline), 50, 200 and 500 simulated
 * learners sending progress over loopback WebSockets, at a classroom pace and at ten times it; dashboard update
 * latency (send -> row on the dashboard) p50/p95/p99, the hub process's CPU and memory. Writes bench/results/hub.md.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runClass } from './simulated-class.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    'interval-ms': { type: 'string', default: '2000,200' },
    sizes: { type: 'string', default: '1,50,200,500' },
  },
})
const durationMs = Number(values.seconds) * 1000
const intervals = values['interval-ms'].split(',').map(Number)
const sizes = values.sizes.split(',').map(Number)

interface Stats {
  cpu: NodeJS.CpuUsage
  memory: NodeJS.MemoryUsage
  at: number
}

function ask(child: ChildProcess): Promise<Stats> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as Stats))
    child.send({ type: 'stats' })
  })
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN
}

/** One hub process, one simulated class; returns the table row and the p50 (for the baseline ratio). */
async function measure(
  intervalMs: number,
  learners: number,
  baselineP50: number,
): Promise<{ line: string; p50: number }> {
  const child = fork(join(import.meta.dirname, 'hub-process.ts'), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const { url } = await new Promise<{ url: string }>((resolve) =>
    child.once('message', (m) => resolve(m as { url: string })),
  )
  const before = await ask(child)
  const run = await runClass(url, learners, durationMs, intervalMs)
  const after = await ask(child)
  child.send({ type: 'stop' })
  await new Promise((resolve) => child.once('exit', resolve))
  const sorted = [...run.latenciesMs].sort((a, b) => a - b)
  const wall = after.at - before.at
  const cpuPct = ((after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000 / wall) * 100
  const p50 = percentile(sorted, 50)
  const cells = [
    intervalMs,
    learners,
    run.sent,
    run.seen,
    (run.sent / (durationMs / 1000)).toFixed(0),
    p50.toFixed(0),
    percentile(sorted, 95).toFixed(0),
    percentile(sorted, 99).toFixed(0),
    (p50 / (Number.isNaN(baselineP50) ? p50 : baselineP50)).toFixed(2),
    cpuPct.toFixed(1),
    (after.memory.rss / 2 ** 20).toFixed(0),
    (after.memory.heapUsed / 2 ** 20).toFixed(0),
  ]
  return { line: `| ${cells.join(' | ')} |`, p50 }
}

const rows: string[] = []
for (const intervalMs of intervals) {
  let baselineP50 = NaN
  for (const learners of sizes) {
    const { line, p50 } = await measure(intervalMs, learners, baselineP50)
    if (Number.isNaN(baselineP50)) baselineP50 = p50
    console.log(line)
    rows.push(line)
  }
}

const report = `# Hub benchmark

\`tsx bench/hub/run.ts --seconds ${values.seconds} --interval-ms ${values['interval-ms']}\` on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB,
Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z. The machine is shared with other work; the simulated learners
and the dashboard run in the driver process, the hub in its own process (its CPU and memory below).

Each learner sends one progress event every "interval" ms on average (uniform 0.5–1.5×): 2000 ms is a busy class,
200 ms ten times that, for ${values.seconds} s, each over its own WebSocket; one dashboard is connected. Latency is from the learner's send to the dashboard receiving the row that shows
that event. The hub coalesces dashboard pushes in a 200 ms window, so about 100 ms of every latency is that window by
design. Fewer rows seen than events sent means a learner sent twice within one window and the dashboard got only the
newer row: that is the coalescing, not a loss. "vs 1" is the p50 relative to the single-learner baseline of the same run.

| interval ms | learners | events sent | rows seen | events/s | p50 ms | p95 ms | p99 ms | p50 vs 1 | hub CPU % | hub RSS MiB | hub heap MiB |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Target: p95 <= 500 ms at 200 learners.
`
writeFileSync(join(import.meta.dirname, '..', 'results', 'hub.md'), report)
console.log(`\nwrote bench/results/hub.md`)
