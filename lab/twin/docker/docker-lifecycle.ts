import type { TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { isRunning, markStarted, markStopped } from './container-state.ts'
import { parseDockerFlags } from './docker-flags.ts'
import { startRouter, stopRouter } from './router-power.ts'

/**
 * `docker stop|start|restart NAME...` of the lab's routers (see router-power.ts for what stops). Like docker, each
 * name is printed as given once done, an unknown one is an error response that does not stop the others, and
 * stopping a stopped container (or starting a running one) is no error.
 */
type Verb = 'stop' | 'start' | 'restart'

/** `docker stop --help` and `docker restart --help` (Docker 24); the twin accepts -t and -s and stops at once. */
const STOP_FLAGS: Record<string, FlagSpec> = {
  signal: { short: 's', value: true },
  time: { short: 't', value: true },
}
/** `docker start --help` (Docker 24): attaching and checkpoints, none of which the twin does. */
const START_FLAGS: Record<string, FlagSpec> = {
  attach: { short: 'a' },
  checkpoint: { value: true },
  'checkpoint-dir': { value: true },
  'detach-keys': { value: true },
  interactive: { short: 'i' },
}
const START_HINT = "The twin's docker start starts a router in the background: docker exec -it NAME bash enters it."
const STOP_HINT =
  "The twin's docker stop and restart take the lab's routers by name, and -t and -s (accepted: a router's daemons stop at once)."

const NODES =
  "The twin stops and starts the lab's routers; a kind node runs as long as its cluster (kind delete cluster removes it), a server shares its kind node's namespace."

export async function dockerLifecycle(io: ToolIO, lab: TwinContext, argv: string[]): Promise<number> {
  const verb = argv[0] as Verb
  const { args: names } =
    verb === 'start'
      ? parseDockerFlags(verb, argv.slice(1), START_FLAGS, { honoured: [], hint: START_HINT })
      : parseDockerFlags(verb, argv.slice(1), STOP_FLAGS, { honoured: ['signal', 'time'], hint: STOP_HINT })
  if (names.length === 0) {
    io.stderr(
      `"docker ${verb}" requires at least 1 argument.\nSee 'docker ${verb} --help'.\n\nUsage:  docker ${verb} [OPTIONS] CONTAINER [CONTAINER...]\n\n${verb === 'start' ? 'Start one or more stopped containers' : verb === 'stop' ? 'Stop one or more running containers' : 'Restart one or more containers'}\n`,
    )
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
