import { createHash } from 'node:crypto'
import type { TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { lastValue, listFormat, parseDockerFlags } from './docker-flags.ts'
import { alignColumns, renderTemplate } from './go-template.ts'
import { type LabNetwork, labNetworks } from './lab-networks.ts'

/**
 * `docker network ls` and `docker network inspect` over the lab's networks (lab-networks.ts). Table as docker/cli
 * cli/command/network/formatter.go (`table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}`, IDs cut to 12); inspect as
 * API 1.43's NetworkResource, with Containers keyed by container id.
 */
const LS_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}'
const LS_HEADERS = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  CreatedAt: 'CREATED AT',
}
const OTHERS =
  'The lab makes its networks: kind create cluster the kind network, clab deploy the clab one; the twin lists and inspects them.'

/** `docker network ls --help` (Docker 24). */
const LS_FLAGS: Record<string, FlagSpec> = {
  filter: { short: 'f', value: true },
  format: { value: true },
  'no-trunc': {},
  quiet: { short: 'q' },
}

function ls(io: ToolIO, networks: LabNetwork[], argv: string[]): number {
  const parsed = parseDockerFlags('network ls', argv, LS_FLAGS, {
    honoured: ['format', 'no-trunc', 'quiet'],
    hint: "The twin's docker network ls takes -q, --no-trunc and --format: filter its output with grep, e.g. docker network ls | grep kind.",
  })
  const format = listFormat(parsed, LS_FORMAT)
  const truncate = !parsed.flags.has('no-trunc')
  if (parsed.args.length > 0) {
    io.stderr(
      `"docker network ls" accepts no arguments.\nSee 'docker network ls --help'.\n\nUsage:  docker network ls [OPTIONS]\n\nList networks\n`,
    )
    return 1
  }
  const table = format.startsWith('table')
  const template = table ? format.replace(/^table\s*/, '') : format
  const rows = [...networks]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n) =>
      renderTemplate(template, {
        ID: truncate ? n.id.slice(0, 12) : n.id,
        Name: n.name,
        Driver: n.driver,
        Scope: 'local',
        IPv6: 'false',
        Internal: 'false',
        Labels: '',
      }).split('\t'),
    )
  if (table) rows.unshift(renderTemplate(template, LS_HEADERS).split('\t'))
  io.stdout(`${alignColumns(rows)}\n`)
  return 0
}

function resource(lab: TwinContext, n: LabNetwork): Record<string, unknown> {
  return {
    Name: n.name,
    Id: n.id,
    Created: new Date(Math.min(...n.members.map((m) => m.info.createdAt), Date.now())).toISOString(),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: n.members.some((m) => m.attachment.ipv6),
    IPAM: {
      Driver: 'default',
      Options: {},
      Config: n.subnet ? [{ Subnet: n.subnet, ...(n.gateway ? { Gateway: n.gateway } : {}) }] : [],
    },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: Object.fromEntries(
      n.members.map(({ info, attachment }) => [
        containerId(info),
        {
          Name: info.name,
          EndpointID: createHash('sha256').update(`${lab.id}/endpoint/${info.name}`).digest('hex'),
          MacAddress: attachment.mac,
          IPv4Address: `${attachment.ipv4}/${attachment.prefix}`,
          IPv6Address: attachment.ipv6 ? `${attachment.ipv6}/${attachment.ipv6Prefix}` : '',
        },
      ]),
    ),
    Options: n.options,
    Labels: {},
  }
}

/** `docker network inspect --help` (Docker 24); --verbose adds swarm's part, which a local network has none of. */
const INSPECT_FLAGS: Record<string, FlagSpec> = {
  format: { short: 'f', value: true },
  verbose: { short: 'v' },
}

function inspect(io: ToolIO, lab: TwinContext, networks: LabNetwork[], argv: string[]): number {
  const parsed = parseDockerFlags('network inspect', argv, INSPECT_FLAGS, {
    honoured: ['format', 'verbose'],
    hint: "The twin's docker network inspect takes -f/--format and -v.",
  })
  const format = lastValue(parsed, 'format')
  const names = parsed.args
  if (names.length === 0) {
    io.stderr(
      `"docker network inspect" requires at least 1 argument.\nSee 'docker network inspect --help'.\n\nUsage:  docker network inspect [OPTIONS] NETWORK [NETWORK...]\n\nDisplay detailed information on one or more networks\n`,
    )
    return 1
  }
  const found: Array<Record<string, unknown>> = []
  let exitCode = 0
  for (const name of names) {
    const network = networks.find((n) => n.name === name || (name.length >= 3 && n.id.startsWith(name)))
    if (!network) {
      io.stderr(`Error response from daemon: network ${name} not found\n`)
      exitCode = 1
    } else found.push(resource(lab, network))
  }
  if (format !== undefined) io.stdout(found.map((data) => `${renderTemplate(format, data)}\n`).join(''))
  else io.stdout(`${JSON.stringify(found, null, 4)}\n`)
  return exitCode
}

/** `docker network ls|list|inspect ...`; the commands that change networks are the lab's to run. */
export async function dockerNetwork(io: ToolIO, lab: TwinContext, argv: string[]): Promise<number> {
  const [, sub, ...rest] = argv
  if (sub === 'ls' || sub === 'list') return ls(io, await labNetworks(lab), rest)
  if (sub === 'inspect') return inspect(io, lab, await labNetworks(lab), rest)
  if (sub === undefined || sub === '--help') {
    io.stdout('Usage:  docker network COMMAND\n\nManage networks\n\nThe twin lab supports: ls, inspect\n')
    return 0
  }
  if (['create', 'connect', 'disconnect', 'rm', 'remove', 'prune'].includes(sub))
    throw new NotEmulatedError('docker', `network ${sub}`, OTHERS)
  io.stderr(`docker: 'network ${sub}' is not a docker command.\nSee 'docker network --help'\n`)
  return 1
}
