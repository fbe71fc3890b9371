import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { lastValue, parseDockerFlags } from './docker-flags.ts'

/**
 * `docker logs [--tail N] NAME`: what the container's processes wrote. A router's are its FRR daemons (zebra and
 * bgpd write to the log files the lab keeps for them, through stops and starts, as docker keeps a container's log);
 * a server runs an idle shell and has written nothing. A kind node's real log is systemd and containerd booting,
 * which the twin does not run: it says so, and where the node's state is readable instead.
 */
const KIND_NODE =
  "A kind node's log is its systemd and containerd starting, which the twin does not run: kubectl get nodes and kubectl describe node NAME show the node, kubectl logs POD a pod's output, kind export logs writes what the twin has."

/** `docker logs --help` (Docker 24); --details adds log attributes, which the twin's containers do not carry. */
const FLAGS: Record<string, FlagSpec> = {
  details: {},
  follow: { short: 'f' },
  since: { value: true },
  tail: { short: 'n', value: true },
  timestamps: { short: 't' },
  until: { value: true },
}
const HINT =
  "The twin's docker logs prints what a container wrote so far (--tail N for the end); run it again for more."

/** The daemons' log lines of one router, in time order: FRR starts each line with its `YYYY/MM/DD HH:MM:SS` stamp. */
function routerLog(lab: TwinContext, container: string): string[] {
  const lines = ['zebra', 'bgpd'].flatMap((daemon) => {
    const file = join(lab.runDir, 'logs', `${container}-${daemon}.log`)
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
  })
  const stamp = (line: string) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(\.\d+)?/.exec(line)?.[0] ?? ''
  // Stable: lines without a stamp (continuations) keep their place after the line before them.
  return lines
    .map((line, i) => ({ line, i, at: stamp(line) }))
    .sort((a, b) => (a.at && b.at ? a.at.localeCompare(b.at) : 0) || a.i - b.i)
    .map((e) => e.line)
}

export function dockerLogs(io: ToolIO, lab: TwinContext, argv: string[]): number {
  const parsed = parseDockerFlags('logs', argv.slice(1), FLAGS, { honoured: ['details', 'tail'], hint: HINT })
  const names = parsed.args
  const tailValue = lastValue(parsed, 'tail')
  const tail = tailValue === undefined || tailValue === 'all' ? undefined : Number(tailValue)
  if (names.length !== 1) {
    io.stderr(
      `"docker logs" requires exactly 1 argument.\nSee 'docker logs --help'.\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nFetch the logs of a container\n`,
    )
    return 1
  }
  const info = lab.containers.get(names[0])
  if (!info) {
    io.stderr(`Error response from daemon: No such container: ${names[0]}\n`)
    return 1
  }
  if (info.kind === 'kind-node') throw new NotEmulatedError('docker', `logs ${info.name}`, KIND_NODE)
  const lines = info.kind === 'router' ? routerLog(lab, info.name) : []
  const shown = tail === undefined || Number.isNaN(tail) || tail < 0 ? lines : lines.slice(lines.length - tail)
  if (shown.length > 0 && tail !== 0) io.stdout(`${shown.join('\n')}\n`)
  return 0
}
