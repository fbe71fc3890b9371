import type { TwinContext } from '../context.ts'
import { answeringNotEmulated, NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO, ToolResult } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { isRunning } from './container-state.ts'
import { crictl } from './crictl.ts'
import { DOCKER_COMMANDS, DOCKER_GLOBAL_FLAGS, withoutContainerPrefix } from './docker-commands.ts'
import { dockerExec, parseExec } from './docker-exec.ts'
import { answeringFlagErrors, parseDockerFlags } from './docker-flags.ts'
import { dockerImages } from './docker-images.ts'
import { dockerInspect } from './docker-inspect.ts'
import { dockerLifecycle } from './docker-lifecycle.ts'
import { dockerLogs } from './docker-logs.ts'
import { dockerNetwork } from './docker-network.ts'
import { dockerPs } from './docker-ps.ts'

/**
 * `docker` on the lab host, over the twin's containers (kind nodes, routers, namespace-sharing nodes): ps, exec,
 * inspect, logs, stop/start/restart, images, network ls/inspect. Docker's other commands are refused with the
 * reason (see docker-commands.ts).
 */

/**
 * `docker exec`: a stopped container refuses it as docker's daemon does; `crictl` in a kind node lists the node's
 * pods from the cluster (the twin's nodes run no containerd); everything else runs in the container (docker-exec.ts).
 */
function exec(io: ToolIO, lab: TwinContext, argv: string[]): ToolResult | Promise<ToolResult> {
  const parsed = parseExec(argv.slice(1))
  const [name, ...command] = parsed.args
  const info = name === undefined ? undefined : lab.containers.get(name)
  if (info && !isRunning(info)) {
    io.stderr(`Error response from daemon: Container ${containerId(info)} is not running\n`)
    return { exitCode: 1 }
  }
  if (info?.kind === 'kind-node' && /(^|\/)crictl$/.test(command[0] ?? ''))
    return { exitCode: crictl(io, lab, info, command.slice(1)) }
  return dockerExec(io, lab, parsed)
}

const GLOBAL_HINT = "The twin's docker has one set of containers, the lab's: drop the option."
const USAGE =
  'Usage:  docker [OPTIONS] COMMAND\n\nThe twin lab supports: ps, exec, inspect, logs, stop, start, restart, images, network ls/inspect\n'

async function run(io: ToolIO, lab: TwinContext): Promise<ToolResult> {
  // docker's own options come before the command, which ends them (`docker ps -a`).
  const top = parseDockerFlags('', io.argv, DOCKER_GLOBAL_FLAGS, {
    honoured: [...Object.keys(DOCKER_GLOBAL_FLAGS), 'help'],
    hint: GLOBAL_HINT,
    interspersed: false,
  })
  if (top.flags.has('help')) {
    io.stdout(USAGE)
    return { exitCode: 0 }
  }
  if (top.flags.size > 0) throw new NotEmulatedError('docker', io.argv[0].split('=')[0], GLOBAL_HINT)
  const argv = withoutContainerPrefix(top.args)
  const [command] = argv
  switch (command) {
    case 'ps':
      return { exitCode: dockerPs(io, lab, argv) }
    case 'exec':
      return exec(io, lab, argv)
    case 'inspect':
      return { exitCode: await dockerInspect(io, lab, argv) }
    case 'logs':
      return { exitCode: dockerLogs(io, lab, argv) }
    case 'stop':
    case 'start':
    case 'restart':
      return { exitCode: await dockerLifecycle(io, lab, argv) }
    case 'images':
      return { exitCode: dockerImages(io, lab, argv) }
    case 'network':
      return { exitCode: await dockerNetwork(io, lab, argv) }
    case undefined:
      io.stderr(USAGE)
      return { exitCode: 1 }
    default:
      refuseIfReal(DOCKER_COMMANDS, command)
      io.stderr(`docker: '${command}' is not a docker command.\nSee 'docker --help'\n`)
      return { exitCode: 1 }
  }
}

export const dockerTool: ToolHandler = answeringNotEmulated(answeringFlagErrors(run))
