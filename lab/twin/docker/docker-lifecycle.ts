import type { TwinContext } from '../context.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { isRunning, markStarted, markStopped } from './container-state.ts'
import { unknownDockerFlag } from './docker-commands.ts'
import { startRouter, stopRouter } from './router-power.ts'

/**
 * `docker stop|start|restart NAME...` of the lab's routers (see router-power.ts for what stops). Like docker, each
 * name is printed as given once done, an unknown one is an error response that does not stop the others, and
 * stopping a stopped container (or starting a running one) is no error.
 */
type Verb = 'stop' | 'start' | 'restart'

/** The flags of `docker VERB --help` (Docker 24) that take a value; the twin accepts and ignores -t and -s. */
const VALUE_FLAGS: Record<Verb, string[]> = {
  stop: ['-t', '--time', '-s', '--signal'],
  restart: ['-t', '--time', '-s', '--signal'],
  start: [],
}
const START_REFUSED = ['-a', '--attach', '-i', '--interactive', '--detach-keys', '--checkpoint', '--checkpoint-dir']

const NODES = 'The twin stops and starts the lab\'s routers; a kind node runs as long as its cluster (kind delete cluster removes it), a server shares its kind node\'s namespace.'

export async function dockerLifecycle(io: ToolIO, lab: TwinContext, argv: string[]): Promise<number> {
  const verb = argv[0] as Verb
  const names: string[] = []
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]
    const flag = arg.split('=')[0]
    if (VALUE_FLAGS[verb].includes(flag)) i += arg.includes('=') ? 0 : 1
    else if (verb === 'start' && START_REFUSED.includes(flag)) throw new NotEmulatedError('docker', `start ${flag}`, 'The twin\'s docker start starts a router in the background: docker exec -it NAME bash enters it.')
    else if (arg.startsWith('-')) {
      io.stderr(unknownDockerFlag(arg, verb))
      return 125
    } else names.push(arg)
  }
  if (names.length === 0) {
    io.stderr(`"docker ${verb}" requires at least 1 argument.\nSee 'docker ${verb} --help'.\n\nUsage:  docker ${verb} [OPTIONS] CONTAINER [CONTAINER...]\n\n${verb === 'start' ? 'Start one or more stopped containers' : verb === 'stop' ? 'Stop one or more running containers' : 'Restart one or more containers'}\n`)
    return 1
  }
  let exitCode = 0
  for (const name of names) {
    const info = lab.containers.get(name)
    if (!info) {
      io.stderr(`Error response from daemon: No such container: ${name}\n`)
      exitCode = 1
      continue
    }
    if (info.kind !== 'router') throw new NotEmulatedError('docker', `${verb} ${name}`, NODES)
    try {
      if (verb !== 'start' && isRunning(info)) {
        await stopRouter(lab, info)
        markStopped(info)
      }
      if (verb !== 'stop' && !isRunning(info)) {
        await startRouter(lab, info)
        markStarted(info)
      }
    } catch (error) {
      io.stderr(`Error response from daemon: cannot ${verb} container: ${name}: ${(error as Error).message}\n`)
      exitCode = 1
      continue
    } finally {
      lab.events.emit('changed')
    }
    io.stdout(`${name}\n`)
  }
  return exitCode
}
