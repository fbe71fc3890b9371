/**
 * `tsx bench/terminal/run.ts`: terminal transport through the runner (pty -> ws -> client with acks) against raw
 * node-pty in the same run, plus a 200 MB burst into xterm.js in headless Chromium. Writes
 * bench/results/terminal.md. Targets: throughput >= 0.85x raw, keystroke round trip p99 <= 3 ms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeShellRc } from '../../runner/terminal/shell-rc.ts'
import { launchChromium } from '../../support/chromium.ts'
import { FixtureLab } from '../../support/fixture-lab.ts'
import { buildFixtureSite, root, startFixtureRunner } from '../../support/fixture-site.ts'
import { browserBurst } from './browser-burst.ts'
import { keystrokes, throughput } from './measure.ts'
import { type KeyPath, type Path, type Round, renderReport } from './report.ts'
import {
  forwarderTransport,
  type OpenTransport,
  rawTransport,
  runnerTransport,
  sessionTransport,
  startForwarderProcess,
  startRunnerProcess,
} from './transports.ts'

const MB = 1_000_000
const THROUGHPUT_BYTES = Number(process.env.BENCH_BYTES ?? 100 * MB)
const BURST_BYTES = Number(process.env.BENCH_BURST_BYTES ?? 200 * MB)
/** Keystrokes per path, spread over the rounds: 1500 make the p99 the 15th slowest, not 3 samples that one hiccup moves. */
const KEYS = Number(process.env.BENCH_KEYS ?? 1500)
/** Nine rounds: on a shared machine one round's ratio moves by +-0.15, and a median of nine moves less than one of five. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
/** Rounds run first on every path and reported apart, not in the medians: the processes start cold (see report.ts). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1)

const stateDir = mkdtempSync(join(tmpdir(), 'lab-bench-'))
const lab = new FixtureLab()
await lab.up()
const rcFile = writeShellRc(stateDir)

const settle = () => new Promise((resolve) => setTimeout(resolve, 500))
const rounds: Round[] = []
const warmup: Round[] = []
const keys: Record<KeyPath, number[]> = { raw: [], forwarder: [], runner: [] }

const runner = await startRunnerProcess()
const forwarder = await startForwarderProcess(lab.shell(), rcFile)
try {
  for (let round = 1 - WARMUP; round <= ROUNDS; round++) {
    const measured = round >= 1
    // Alternate the order each round so neither path always runs on a warmer (or quieter) machine.
    const order: Path[] =
      round % 2 ? ['raw', 'session', 'forwarder', 'runner'] : ['runner', 'forwarder', 'session', 'raw']
    const row: Round = {
      round,
      load: loadavg()[0],
      mbPerSecond: { raw: 0, session: 0, forwarder: 0, runner: 0 },
      cpuMs: { raw: 0, session: 0, forwarder: 0, runner: 0, client: 0 },
    }
    for (const path of order) {
      const t: OpenTransport =
        path === 'raw'
          ? rawTransport(lab.shell(), rcFile)
          : path === 'session'
            ? sessionTransport(lab.shell(), rcFile)
            : path === 'forwarder'
              ? await forwarderTransport(forwarder)
              : await runnerTransport(runner, 'main')
      await settle()
      const cpu = t.cpuMs()
      const serverCpu = path === 'forwarder' ? forwarder.cpuMs() : runner.cpuMs()
      row.mbPerSecond[path] = (await throughput(t.transport, THROUGHPUT_BYTES)).mbPerSecond
      // CPU per 100 MB, so runs of another size stay comparable.
      const per100 = (ms: number) => (ms * 100 * MB) / THROUGHPUT_BYTES
      if (path === 'runner') {
        row.cpuMs.runner = per100(runner.cpuMs() - serverCpu)
        row.cpuMs.client = per100(t.cpuMs() - cpu)
      } else if (path === 'forwarder') {
        // The forwarder process's own CPU: its client does less than the runner's (no frames to decode, no acks).
        row.cpuMs.forwarder = per100(forwarder.cpuMs() - serverCpu)
      } else {
        row.cpuMs[path] = per100(t.cpuMs() - cpu)
      }
      await settle()
      if (path !== 'session') {
        const times = await keystrokes(t.transport, Math.round(KEYS / ROUNDS))
        if (measured) keys[path].push(...times)
      }
      await settle()
      t.close()
    }
    ;(measured ? rounds : warmup).push(row)
    console.log(
      `${measured ? 'round' : 'warm-up round'} ${round} (load ${row.load.toFixed(2)}): raw ${row.mbPerSecond.raw.toFixed(1)}, session ${row.mbPerSecond.session.toFixed(1)}, forwarder ${row.mbPerSecond.forwarder.toFixed(1)}, runner ${row.mbPerSecond.runner.toFixed(1)} MB/s`,
    )
  }
} finally {
  await runner.stop()
  await forwarder.stop()
}

await buildFixtureSite()
const burstRunner = await startFixtureRunner(lab, stateDir)
const browser = await launchChromium()
let burst: Awaited<ReturnType<typeof browserBurst>>
try {
  burst = await browserBurst(browser.context, burstRunner, BURST_BYTES)
} finally {
  await browser.context.close()
  rmSync(browser.profile, { recursive: true, force: true })
  await burstRunner.close()
  await lab.down()
  rmSync(stateDir, { recursive: true, force: true })
}

const report = renderReport({ bytes: THROUGHPUT_BYTES, rounds, warmup, keys, burst, keyCount: keys.runner.length })
mkdirSync(join(root, 'bench/results'), { recursive: true })
writeFileSync(join(root, 'bench/results/terminal.md'), report)
console.log(report)
