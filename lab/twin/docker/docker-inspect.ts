import type { ContainerInfo, TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { exitCode, finishedAt, isRunning, startedAt, stateWord } from './container-state.ts'
import { lastValue, parseDockerFlags } from './docker-flags.ts'
import { renderTemplate } from './go-template.ts'
import { imageId } from './lab-images.ts'
import { attachmentOf, labNetworks } from './lab-networks.ts'
import { publishedPorts } from './published-ports.ts'

/** Go's zero time as docker prints an unset FinishedAt. */
const ZERO_TIME = '0001-01-01T00:00:00Z'

/** What each kind of lab container runs as its main command, as the real images do. */
export const COMMANDS: Record<ContainerInfo['kind'], string[]> = {
  'kind-node': ['/usr/local/bin/entrypoint', '/sbin/init'],
  router: ['/sbin/init'],
  'host-sharing': ['zsh'],
}

/**
 * The container as `docker inspect` (API 1.43) shapes it, with the fields scripts read: State, Config (Image,
 * Labels, Hostname, Cmd), NetworkSettings (Networks with IPAddress/IPPrefixLen/Gateway/MacAddress, Ports,
 * SandboxKey), HostConfig.NetworkMode, Name with docker's leading slash.
 */
export async function inspectContainer(lab: TwinContext, info: ContainerInfo): Promise<Record<string, unknown>> {
  const running = isRunning(info)
  const pids = running ? await lab.run(['ip', 'netns', 'pids', info.ns]) : { stdout: '' }
  const attachment = await attachmentOf(lab, info)
  const networks = attachment ? (await labNetworks(lab)).find((n) => n.name === attachment.network) : undefined
  const sharedWith =
    info.kind === 'host-sharing'
      ? [...lab.containers.values()].find((c) => c.kind === 'kind-node' && c.ns === info.ns)
      : undefined
  const ports = Object.fromEntries(
    publishedPorts(info).map((p) => [
      `${p.containerPort}/${p.protocol}`,
      [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }],
    ]),
  )
  const [path, ...args] = COMMANDS[info.kind]
  return {
    Id: containerId(info),
    Created: new Date(info.createdAt).toISOString(),
    Path: path,
    Args: args,
    State: {
      Status: stateWord(info),
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: Number(pids.stdout.split('\n')[0]) || 0,
      ExitCode: exitCode(info),
      Error: '',
      StartedAt: new Date(startedAt(info)).toISOString(),
      FinishedAt: finishedAt(info) === undefined ? ZERO_TIME : new Date(finishedAt(info)!).toISOString(),
    },
    Image: `sha256:${imageId(info.image)}`,
    Name: `/${info.name}`,
    RestartCount: 0,
    HostConfig: {
      NetworkMode: sharedWith ? `container:${containerId(sharedWith)}` : (attachment?.network ?? 'default'),
      PortBindings: ports,
    },
    Config: {
      Hostname: info.labels['clab-node-name'] ?? info.name,
      Image: info.image,
      Cmd: COMMANDS[info.kind],
      Labels: info.labels,
    },
    NetworkSettings: {
      SandboxKey: `/run/netns/${info.ns}`,
      Ports: ports,
      Networks: attachment
        ? {
            [attachment.network]: {
              NetworkID: networks?.id ?? '',
              Gateway: running ? attachment.gateway : '',
              // A stopped container keeps its network but no address on it, as docker reports it.
              IPAddress: running ? attachment.ipv4 : '',
              IPPrefixLen: running ? attachment.prefix : 0,
              MacAddress: running ? attachment.mac : '',
              GlobalIPv6Address: running ? attachment.ipv6 : '',
              GlobalIPv6PrefixLen: running ? attachment.ipv6Prefix : 0,
              Aliases: [info.name.replace(/^clab-[^-]+-/, ''), containerId(info).slice(0, 12)],
            },
          }
        : {},
    },
  }
}

/** `docker inspect --help` (Docker 24). */
const FLAGS: Record<string, FlagSpec> = {
  format: { short: 'f', value: true },
  size: { short: 's' },
  type: { value: true },
}

/** `docker inspect [-f TEMPLATE] [--type container] NAME...`. */
export async function dockerInspect(io: ToolIO, lab: TwinContext, argv: string[]): Promise<number> {
  const parsed = parseDockerFlags('inspect', argv.slice(1), FLAGS, {
    honoured: ['format', 'type'],
    hint: "The twin's docker inspect takes -f/--format and --type container; its containers have no filesystem of their own to measure (--size).",
  })
  const type = lastValue(parsed, 'type')
  if (type !== undefined && type !== 'container')
    throw new NotEmulatedError(
      'docker',
      `inspect --type ${type}`,
      "docker network inspect NAME shows a network, docker images the images; docker inspect shows the lab's containers.",
    )
  const format = lastValue(parsed, 'format')
  const names = parsed.args
  if (names.length === 0) {
    io.stderr(
      `"docker inspect" requires at least 1 argument.\nSee 'docker inspect --help'.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects\n`,
    )
    return 1
  }
  const found: Array<Record<string, unknown>> = []
  let exitCode = 0
  for (const name of names) {
    const info = lab.containers.get(name)
    if (!info) {
      io.stderr(`Error: No such object: ${name}\n`)
      exitCode = 1
      continue
    }
    found.push(await inspectContainer(lab, info))
  }
  if (format !== undefined) io.stdout(found.map((data) => `${renderTemplate(format, data)}\n`).join(''))
  else io.stdout(`${JSON.stringify(found, null, 4)}\n`)
  return exitCode
}
