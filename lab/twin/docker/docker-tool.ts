import type { TwinContext } from '../context.ts'
import type { ToolHandler, ToolIO, ToolResult } from '../daemon/tool.ts'
import { NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import { DOCKER_COMMANDS, DOCKER_GLOBAL_FLAGS, unknownDockerFlag, withoutContainerPrefix } from './docker-commands.ts'
import { containerId } from './container-id.ts'
import { dockerExec } from './docker-exec.ts'
import { dockerPs } from './docker-ps.ts'
import { renderTemplate } from './go-template.ts'

/**
 * `docker` on the lab host, over the twin's containers (kind nodes, routers, namespace-sharing nodes): ps, exec,
 * inspect. Docker's other commands are refused with the reason (see docker-commands.ts).
 */

/** `docker inspect [-f TEMPLATE] [--type container] NAME...`: the fields scripts read (state, pid, image, labels). */
async function dockerInspect(io: ToolIO, lab: TwinContext, argv: string[]): Promise<number> {
  let format: string | undefined
  const names: string[] = []
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-f' || arg === '--format') format = argv[++i]
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length)
    else if (arg === '--type' || arg.startsWith('--type=')) {
      // Every object of the twin is a container; asking for images, networks or volumes is asking for what it lacks.
      const type = arg === '--type' ? argv[++i] : arg.slice('--type='.length)
      if (type !== 'container') throw new NotEmulatedError('docker', `inspect --type ${type}`, 'The twin\'s objects are the lab\'s containers: docker inspect NAME.')
    } else if (arg === '-s' || arg === '--size') throw new NotEmulatedError('docker', `inspect ${arg}`, 'The twin\'s containers have no filesystem of their own to measure.')
    else if (arg.startsWith('-')) {
      io.stderr(unknownDockerFlag(arg, 'inspect'))
      return 125
    } else names.push(arg)
  }
  if (names.length === 0) {
    io.stderr(`"docker inspect" requires at least 1 argument.\nSee 'docker inspect --help'.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects\n`)
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
    const pids = await lab.run(['ip', 'netns', 'pids', info.ns])
    const pid = Number(pids.stdout.split('\n')[0]) || 0
    found.push({
      Id: containerId(info),
      Created: new Date(info.createdAt).toISOString(),
      Name: `/${info.name}`,
      State: { Status: 'running', Running: true, Pid: pid },
      Config: { Hostname: info.labels['clab-node-name'] ?? info.name, Image: info.image, Labels: info.labels },
      NetworkSettings: { SandboxKey: `/run/netns/${info.ns}` },
    })
  }
  if (format !== undefined) io.stdout(found.map((data) => renderTemplate(format, data) + '\n').join(''))
  else io.stdout(JSON.stringify(found, null, 4) + '\n')
  return exitCode
}

const USAGE = 'Usage:  docker [OPTIONS] COMMAND\n\nThe twin lab supports: ps, exec, inspect\n'

async function run(io: ToolIO, lab: TwinContext): Promise<ToolResult> {
  const [first] = io.argv
  if (first === '--help' || first === '-h') {
    io.stdout(USAGE)
    return { exitCode: 0 }
  }
  if (first?.startsWith('-')) {
    const name = first.split('=')[0]
    if (!DOCKER_GLOBAL_FLAGS.has(name)) {
      io.stderr(unknownDockerFlag(first))
      return { exitCode: 125 }
    }
    throw new NotEmulatedError('docker', name, 'The twin\'s docker has one set of containers, the lab\'s: drop the option.')
  }
  const argv = withoutContainerPrefix(io.argv)
  const [command] = argv
  switch (command) {
    case 'ps':
      return { exitCode: dockerPs(io, lab, argv) }
    case 'exec':
      return dockerExec(io, lab, argv)
    case 'inspect':
      return { exitCode: await dockerInspect(io, lab, argv) }
    case undefined:
      io.stderr(USAGE)
      return { exitCode: 1 }
    default:
      refuseIfReal(DOCKER_COMMANDS, command)
      io.stderr(`docker: '${command}' is not a docker command.\nSee 'docker --help'\n`)
      return { exitCode: 1 }
  }
}

export const dockerTool: ToolHandler = async (io, lab) => {
  try {
    return await run(io, lab)
  } catch (error) {
    if (!(error instanceof NotEmulatedError)) throw error
    io.stderr(error.message + '\n')
    return { exitCode: 1 }
  }
}
