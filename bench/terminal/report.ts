/**
 * Renders bench/results/terminal.md from the measured rounds: throughput and CPU per path, medians, keystroke round
 * trips and the browser burst, with the machine's load beside each round (the machine is shared).
 */
import { cpus, loadavg } from 'node:os'
import { percentile } from './measure.ts'

export type Path = 'raw' | 'session' | 'forwarder' | 'runner'
/** The paths whose keystroke round trip is measured (the session path has no client). */
export type KeyPath = 'raw' | 'forwarder' | 'runner'

export interface Round {
  round: number
  /** 1-minute load average when the round started. */
  load: number
  mbPerSecond: Record<Path, number>
  /** CPU ms per 100 MB: of the reader (raw, session), of the forwarder and runner processes, and of the runner's client. */
  cpuMs: Record<Path | 'client', number>
}

export interface ReportInput {
  bytes: number
  rounds: Round[]
  /** Rounds run first and left out of the medians (cold processes). */
  warmup: Round[]
  keys: Record<KeyPath, number[]>
  keyCount: number
  burst: { expected: number; written: number; markerSeen: boolean; discarded: number; seconds: number }
}

const MB = 1_000_000
const median = (xs: number[]) => percentile(xs, 50)
const ms = (x: number) => `${x.toFixed(2)} ms`
const cpu = (x: number) => `${Math.round(x)} ms`

const row = (label: string, r: Round) =>
  `| ${label} | ${r.load.toFixed(2)} | ${r.mbPerSecond.raw.toFixed(1)} MB/s | ${r.mbPerSecond.session.toFixed(1)} MB/s | ${r.mbPerSecond.forwarder.toFixed(1)} MB/s | ${r.mbPerSecond.runner.toFixed(1)} MB/s | ${(r.mbPerSecond.forwarder / r.mbPerSecond.raw).toFixed(2)}x | ${(r.mbPerSecond.runner / r.mbPerSecond.raw).toFixed(2)}x | ${cpu(r.cpuMs.raw)} | ${cpu(r.cpuMs.runner)} + ${cpu(r.cpuMs.client)} |`

export function renderReport({ bytes, rounds, warmup, keys, keyCount, burst }: ReportInput): string {
  const ratios = rounds.map((r) => r.mbPerSecond.runner / r.mbPerSecond.raw)
  const ratio = median(ratios)
  const forwarderRatio = median(rounds.map((r) => r.mbPerSecond.forwarder / r.mbPerSecond.raw))
  const col = (pick: (r: Round) => number) => median(rounds.map(pick))
  const hop = col((r) => r.cpuMs.runner + r.cpuMs.client - r.cpuMs.raw)
  const p99 = percentile(keys.runner, 99)
  return `# Terminal transport benchmark

Measured by \`tsx bench/terminal/run.ts\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${cpus().length} cores, loopback).
Raw = node-pty read directly in the measuring process; session = the runner's terminal session (pty, shell-integration
parser, replay buffer) read in that process without the socket; runner = the same shell behind the runner's WebSocket,
the runner in a process of its own and the measuring process playing the browser (decodes each binary frame and
acknowledges what it wrote with the site's own ack batching, one ack per 256 KiB). Forwarder = the least any design
with the pty in another process than the browser does (bench/terminal/serve-forwarder.ts: each pty read sent at once
as one WebSocket message; no replay, parser, batching, flow control or token), as a reference: what it loses against
raw is the cost of the process hop on this machine, the rest of the runner's loss is the runner's. All four run the same
interactive bash with the same shell integration, 120x30, the same command (\`yes … | head -c N\`); the order
alternates every round; the machine is shared, so the 1-minute load average is given for each round.

## Throughput (${bytes / MB} MB of output, ${rounds.length} rounds)

| round | load | raw node-pty | session, no socket | minimal forwarder | through the runner | forwarder / raw | runner / raw | CPU raw reader | CPU runner + client |
|---|---|---|---|---|---|---|---|---|---|
${[...warmup.map((r) => row('warm-up', r)), ...rounds.map((r) => row(String(r.round), r))].join('\n')}
| **median** | | **${col((r) => r.mbPerSecond.raw).toFixed(1)} MB/s** | **${col((r) => r.mbPerSecond.session).toFixed(1)} MB/s** | **${col((r) => r.mbPerSecond.forwarder).toFixed(1)} MB/s** | **${col((r) => r.mbPerSecond.runner).toFixed(1)} MB/s** | **${forwarderRatio.toFixed(2)}x** | **${ratio.toFixed(2)}x** | | |

${
  warmup.length > 0
    ? `The warm-up round${warmup.length > 1 ? 's' : ''} (same command, every path) ${warmup.length > 1 ? 'are' : 'is'} left out of the medians and the keystroke figures. Before it
was added the first rounds were often, not always, the slowest, while V8 optimized the hot paths of the runner and
of the client playing the browser (in one run of six rounds the runner's user CPU went 740, 620, 460, 370, 390, 370
ms per 100 MB, the client's 480 -> 220 ms). A runner that has just started pays this on its first large outputs.

`
    : ''
}Ratio runner / raw, median of rounds: **${ratio.toFixed(2)}x** (target >= 0.85x): ${ratio >= 0.85 ? 'met' : 'NOT met'}. The minimal
forwarder reaches ${forwarderRatio.toFixed(2)}x in the same rounds.

## Where the CPU goes (ms per 100 MB, median of rounds; the shell pipeline's own CPU is the same on every path)

| raw reader | session reader | forwarder process | runner process | client playing the browser | socket hop (runner + client - raw) |
|---|---|---|---|---|---|
| ${cpu(col((r) => r.cpuMs.raw))} | ${cpu(col((r) => r.cpuMs.session))} | ${cpu(col((r) => r.cpuMs.forwarder))} | ${cpu(col((r) => r.cpuMs.runner))} | ${cpu(col((r) => r.cpuMs.client))} | ${cpu(hop)} |

On a busy machine a path's throughput follows the CPU it needs per byte. Reading the pty (about 25,000 reads of at
most 4 KB per 100 MB, each waking the reader) costs every path the same; the socket path adds, in the runner, framing,
sending frames of up to 64 KB and taking one acknowledgement per 256 KiB (each a wakeup), and a second process that
receives and acknowledges them (the browser's role).

## Keystroke round trip (${keyCount} keystrokes each, typed at the prompt, echo awaited)

| path | median | p99 |
|---|---|---|
| raw node-pty | ${ms(percentile(keys.raw, 50))} | ${ms(percentile(keys.raw, 99))} |
| minimal forwarder | ${ms(percentile(keys.forwarder, 50))} | ${ms(percentile(keys.forwarder, 99))} |
| through the runner | ${ms(percentile(keys.runner, 50))} | ${ms(p99)} |

Runner p99 target <= 3 ms: ${p99 <= 3 ? 'met' : 'NOT met'}.

## ${burst.expected / MB} MB burst into xterm.js (headless Chromium)

- Bytes xterm wrote: ${burst.written.toLocaleString('en')} of ${burst.expected.toLocaleString('en')} expected; end marker shown: ${burst.markerSeen ? 'yes' : 'no'}.
- "write data discarded" warnings from xterm: ${burst.discarded}.
- Time: ${burst.seconds.toFixed(1)} s (${(burst.written / MB / burst.seconds).toFixed(1)} MB/s rendered; the browser is the bottleneck, the runner pauses the pty until xterm acknowledges).

Load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} on ${cpus().length} cores.
`
}
