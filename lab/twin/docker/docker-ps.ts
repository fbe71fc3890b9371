import type { ContainerInfo, TwinContext } from '../context.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { COMMANDS } from './docker-inspect.ts'
import { isRunning, stateWord, statusText } from './container-state.ts'
import { alignColumns, renderTemplate } from './go-template.ts'
import { humanDuration } from './human-duration.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { unknownDockerFlag } from './docker-commands.ts'
import { publishedPorts } from './published-ports.ts'


function fields(info: ContainerInfo, now: number, truncate: boolean): Record<string, string> {
  const command = COMMANDS[info.kind].join(' ')
  return {
    ID: truncate ? containerId(info).slice(0, 12) : containerId(info),
    Image: info.image,
    Command: `"${truncate && command.length > 20 ? command.slice(0, 19) + '…' : command}"`,
    CreatedAt: new Date(info.createdAt).toISOString(),
    RunningFor: `${humanDuration(now - info.createdAt)} ago`,
    State: stateWord(info),
    Status: statusText(info, now),
    Ports: publishedPorts(info).map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', '),
    Names: info.name,
    Labels: Object.entries(info.labels).map(([key, value]) => `${key}=${value}`).join(','),
  }
}

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', RunningFor: 'CREATED', CreatedAt: 'CREATED AT',
  State: 'STATE', Status: 'STATUS', Ports: 'PORTS', Names: 'NAMES', Labels: 'LABELS',
}
const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'

/** `docker ps --help` (Docker 24) flags the twin does not do, with what to use instead. */
const REFUSED: Record<string, string> = {
  '-f': 'filter', '--filter': 'filter', '-n': 'last', '--last': 'last', '-l': 'latest', '--latest': 'latest', '-s': 'size', '--size': 'size',
}
const REFUSED_HINT = 'The twin\'s docker ps takes -a, -q, --no-trunc and --format: filter its output with grep, e.g. docker ps --format \'{{.Names}}\' | grep leaf.'

/** `docker ps [-a] [-q] [--no-trunc] [--format ...]`: running containers, with -a the stopped ones too. */
export function dockerPs(io: ToolIO, lab: TwinContext, argv: string[]): number {
  let format = DEFAULT_FORMAT
  let truncate = true
  let all = false
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]
    // -aq and the like: a cluster of the boolean shorthands.
    const shorts = /^-[a-zA-Z]{2,}$/.test(arg) ? [...arg.slice(1)].map(c => `-${c}`) : [arg]
    for (const word of shorts) {
      const name = word.split('=')[0]
      if (word === '-q' || word === '--quiet') format = '{{.ID}}'
      else if (word === '--format') format = argv[++i] ?? ''
      else if (word.startsWith('--format=')) format = word.slice('--format='.length)
      else if (word === '--no-trunc') truncate = false
      else if (word === '-a' || word === '--all') all = true
      else if (REFUSED[name]) throw new NotEmulatedError('docker', `ps --${REFUSED[name]}`, REFUSED_HINT)
      else {
        io.stderr(unknownDockerFlag(word, 'ps'))
        return 125
      }
    }
  }
  const now = Date.now()
  // Newest first, as docker lists them.
  const containers = [...lab.containers.values()].filter((info) => all || isRunning(info)).sort((a, b) => b.createdAt - a.createdAt)
  const table = format.startsWith('table')
  const template = table ? format.replace(/^table\s*/, '') : format
  const rows = containers.map((info) => renderTemplate(template, fields(info, now, truncate)).split('\t'))
  if (table) rows.unshift(renderTemplate(template, HEADERS).split('\t'))
  if (rows.length > 0) io.stdout(alignColumns(rows) + '\n')
  return 0
}
