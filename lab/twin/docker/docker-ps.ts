import type { ContainerInfo, TwinContext } from '../context.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { alignColumns, renderTemplate } from './go-template.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { unknownDockerFlag } from './docker-commands.ts'

/** What each kind of lab container runs as its main command, as the real images do. */
const COMMANDS: Record<ContainerInfo['kind'], string> = {
  'kind-node': '/usr/local/bin/entrypoint /sbin/init',
  router: '/sbin/init',
  'host-sharing': 'zsh',
}

/** `2 minutes ago`-style durations of docker (go-units HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.round(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.round(minutes / 60)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  return `${Math.round(hours / 24)} days`
}

function fields(info: ContainerInfo, now: number, truncate: boolean): Record<string, string> {
  const age = humanDuration(now - info.createdAt)
  const command = COMMANDS[info.kind]
  return {
    ID: truncate ? containerId(info).slice(0, 12) : containerId(info),
    Image: info.image,
    Command: `"${truncate && command.length > 20 ? command.slice(0, 19) + '…' : command}"`,
    CreatedAt: new Date(info.createdAt).toISOString(),
    RunningFor: `${age} ago`,
    Status: `Up ${age}`,
    Ports: '',
    Names: info.name,
    Labels: Object.entries(info.labels).map(([key, value]) => `${key}=${value}`).join(','),
  }
}

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', RunningFor: 'CREATED', CreatedAt: 'CREATED AT',
  Status: 'STATUS', Ports: 'PORTS', Names: 'NAMES', Labels: 'LABELS',
}
const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'

/** `docker ps --help` (Docker 24) flags the twin does not do, with what to use instead. */
const REFUSED: Record<string, string> = {
  '-f': 'filter', '--filter': 'filter', '-n': 'last', '--last': 'last', '-l': 'latest', '--latest': 'latest', '-s': 'size', '--size': 'size',
}
const REFUSED_HINT = 'The twin\'s docker ps takes -a, -q, --no-trunc and --format: filter its output with grep, e.g. docker ps --format \'{{.Names}}\' | grep leaf.'

/** `docker ps [-a] [-q] [--no-trunc] [--format ...]`: every lab container is running, so -a lists the same set. */
export function dockerPs(io: ToolIO, lab: TwinContext, argv: string[]): number {
  let format = DEFAULT_FORMAT
  let truncate = true
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
      else if (word === '-a' || word === '--all') continue
      else if (REFUSED[name]) throw new NotEmulatedError('docker', `ps --${REFUSED[name]}`, REFUSED_HINT)
      else {
        io.stderr(unknownDockerFlag(word, 'ps'))
        return 125
      }
    }
  }
  const now = Date.now()
  // Newest first, as docker lists them.
  const containers = [...lab.containers.values()].sort((a, b) => b.createdAt - a.createdAt)
  const table = format.startsWith('table')
  const template = table ? format.replace(/^table\s*/, '') : format
  const rows = containers.map((info) => renderTemplate(template, fields(info, now, truncate)).split('\t'))
  if (table) rows.unshift(renderTemplate(template, HEADERS).split('\t'))
  if (rows.length > 0) io.stdout(alignColumns(rows) + '\n')
  return 0
}
