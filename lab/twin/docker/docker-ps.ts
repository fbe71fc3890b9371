import type { ContainerInfo, TwinContext } from '../context.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { isRunning, stateWord, statusText } from './container-state.ts'
import { listFormat, parseDockerFlags } from './docker-flags.ts'
import { COMMANDS } from './docker-inspect.ts'
import { alignColumns, renderTemplate } from './go-template.ts'
import { humanDuration } from './human-duration.ts'
import { matchesPsFilter, type PsFilter, PsFilterError, parsePsFilters } from './ps-filter.ts'
import { publishedPorts } from './published-ports.ts'

function fields(info: ContainerInfo, now: number, truncate: boolean): Record<string, string> {
  const command = COMMANDS[info.kind].join(' ')
  return {
    ID: truncate ? containerId(info).slice(0, 12) : containerId(info),
    Image: info.image,
    Command: `"${truncate && command.length > 20 ? `${command.slice(0, 19)}…` : command}"`,
    CreatedAt: new Date(info.createdAt).toISOString(),
    RunningFor: `${humanDuration(now - info.createdAt)} ago`,
    State: stateWord(info),
    Status: statusText(info, now),
    // A stopped container's published ports are released: the daemon lists none for it.
    Ports: (isRunning(info) ? publishedPorts(info) : [])
      .map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`)
      .join(', '),
    Names: info.name,
    Labels: Object.entries(info.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
  }
}

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  RunningFor: 'CREATED',
  CreatedAt: 'CREATED AT',
  State: 'STATE',
  Status: 'STATUS',
  Ports: 'PORTS',
  Names: 'NAMES',
  Labels: 'LABELS',
}
const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'

/** `docker ps --help` (Docker 24). */
const FLAGS: Record<string, FlagSpec> = {
  all: { short: 'a' },
  filter: { short: 'f', value: true },
  format: { value: true },
  last: { short: 'n', value: true },
  latest: { short: 'l' },
  'no-trunc': {},
  quiet: { short: 'q' },
  size: { short: 's' },
}
const HINT =
  "The twin's docker ps takes -a, -q, -f, --no-trunc and --format: filter its output with grep, e.g. docker ps --format '{{.Names}}' | grep leaf."

/** `docker ps [-a] [-q] [-f KEY=VALUE] [--no-trunc] [--format ...]`: running containers, with -a the stopped ones too. */
export function dockerPs(io: ToolIO, lab: TwinContext, argv: string[]): number {
  const args = parseDockerFlags('ps', argv.slice(1), FLAGS, {
    honoured: ['all', 'filter', 'format', 'no-trunc', 'quiet'],
    hint: HINT,
  })
  let filter: PsFilter
  try {
    filter = parsePsFilters(args.flags.get('filter') ?? [])
  } catch (error) {
    if (!(error instanceof PsFilterError)) throw error
    io.stderr(`${error.message}\n`)
    return 1
  }
  const format = listFormat(args, DEFAULT_FORMAT)
  const truncate = !args.flags.has('no-trunc')
  // The daemon lists stopped containers too when asked for a status (moby daemon/list.go).
  const all = args.flags.has('all') || filter.has('status')
  if (args.args.length > 0) {
    io.stderr(
      `"docker ps" accepts no arguments.\nSee 'docker ps --help'.\n\nUsage:  docker ps [OPTIONS]\n\nList containers\n`,
    )
    return 1
  }
  const now = Date.now()
  // Newest first, as docker lists them.
  const containers = [...lab.containers.values()]
    .filter((info) => (all || isRunning(info)) && matchesPsFilter(info, filter))
    .sort((a, b) => b.createdAt - a.createdAt)
  const table = format.startsWith('table')
  const template = table ? format.replace(/^table\s*/, '') : format
  const rows = containers.map((info) => renderTemplate(template, fields(info, now, truncate)).split('\t'))
  if (table) rows.unshift(renderTemplate(template, HEADERS).split('\t'))
  if (rows.length > 0) io.stdout(`${alignColumns(rows)}\n`)
  return 0
}
