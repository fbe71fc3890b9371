import { type CommandTable, NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'

const LIFECYCLE =
  'The lab makes and removes its containers: clab deploy / clab destroy for routers, kind create / delete cluster for nodes.'
const IMAGES =
  "The twin runs no images: its containers are network namespaces running the lab's software (FRR, GoBGP) from this machine."
const EMULATED =
  "The twin's docker does ps, exec, inspect, logs, stop, start and restart over the lab's containers, images, and network ls/inspect."

/**
 * docker's commands: `docker --help` of Docker 24 (docker/cli cli/command/commands/commands.go, with the buildx and
 * compose plugins most installs carry).
 */
export const DOCKER_COMMANDS: CommandTable = {
  tool: 'docker',
  emulated: ['ps', 'exec', 'inspect', 'logs', 'stop', 'start', 'restart', 'images', 'network'],
  notEmulated: {
    ...Object.fromEntries(
      [
        'run',
        'create',
        'kill',
        'pause',
        'unpause',
        'rm',
        'rename',
        'update',
        'wait',
        'attach',
        'commit',
        'export',
        'diff',
      ].map((c) => [c, LIFECYCLE]),
    ),
    ...Object.fromEntries(
      [
        'pull',
        'push',
        'image',
        'build',
        'buildx',
        'builder',
        'rmi',
        'tag',
        'save',
        'load',
        'import',
        'history',
        'search',
        'login',
        'logout',
        'manifest',
        'trust',
      ].map((c) => [c, IMAGES]),
    ),
    ...Object.fromEntries(
      [
        'info',
        'version',
        'system',
        'context',
        'plugin',
        'volume',
        'checkpoint',
        'config',
        'node',
        'secret',
        'service',
        'stack',
        'swarm',
        'compose',
      ].map((c) => [c, EMULATED]),
    ),
    cp: "The twin's containers share this machine's filesystem (only their network is separate), so there is nothing to copy: use the file at the same path, or cp it on the lab host.",
    top: 'docker exec NAME ps shows the processes a container runs.',
    stats: 'The twin does not account CPU or memory per container.',
    port: "docker ps shows the one port the lab publishes (kind's API server, on the control plane); reach the rest at their lab addresses (docker exec NAME ip addr).",
    events: 'The twin records no container events.',
    container: EMULATED,
  },
}

/** The emulated commands under their management-command names: `docker container ls`, `docker image ls`. */
const MANAGEMENT_ALIASES: Record<string, Record<string, string>> = {
  container: {
    ls: 'ps',
    list: 'ps',
    ps: 'ps',
    exec: 'exec',
    inspect: 'inspect',
    logs: 'logs',
    stop: 'stop',
    start: 'start',
    restart: 'restart',
  },
  image: { ls: 'images', list: 'images' },
}

/** argv with `container X` / `image X` turned into the command it names; a subcommand the twin lacks is refused. */
export function withoutContainerPrefix(argv: string[]): string[] {
  const aliases = MANAGEMENT_ALIASES[argv[0]]
  if (!aliases || argv[1] === undefined || argv[1].startsWith('-')) return argv
  const command = aliases[argv[1]]
  if (command) return [command, ...argv.slice(2)]
  const hint = argv[0] === 'image' ? IMAGES : (DOCKER_COMMANDS.notEmulated[argv[1]] ?? EMULATED)
  throw new NotEmulatedError('docker', `${argv[0]} ${argv[1]}`, hint)
}

/** `docker --help`'s global options (Docker 24): they choose a daemon or logging, and the twin has one set of containers. */
export const DOCKER_GLOBAL_FLAGS: Record<string, FlagSpec> = {
  config: { value: true },
  context: { short: 'c', value: true },
  debug: { short: 'D' },
  host: { short: 'H', value: true },
  'log-level': { short: 'l', value: true },
  tls: {},
  tlscacert: { value: true },
  tlscert: { value: true },
  tlskey: { value: true },
  tlsverify: {},
  version: { short: 'v' },
}
