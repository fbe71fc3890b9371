import type { TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { isRunning, markStarted, markStopped } from './container-state.ts'
import { parseDockerFlags } from './docker-flags.ts'
import { startKindNode, stopKindNode } from './kind-node-power.ts'
import { startRouter, stopRouter } from './router-power.ts'

/**
 * `docker stop|start|restart NAME...` of the lab's routers and kind nodes (see router-power.ts and
 * kind-node-power.ts for what stops). Like docker, each name is printed as given once done, an unknown one is an
 * error response that does not stop the others, and stopping a stopped container (or starting a running one) is no
 * error.
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
  "The twin's docker stop and restart take the lab's routers and kind nodes by name, and -t and -s (accepted: what runs in the container stops at once)."

const SERVERS =
  "A server shares its kind node's network namespace: docker stop the kind node (clab-bgp-control-plane, clab-bgp-worker...) to take it off the network."

/** What stops and starts with each kind of container; the one a server shares is its kind node's. */
const POWER = {
  router: { stop: stopRouter, start: startRouter },
  'kind-node': { stop: stopKindNode, start: startKindNode },
} as const

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
    if (info.kind === 'host-sharing') throw new NotEmulatedError('docker', `${verb} ${name}`, SERVERS)
    const power = POWER[info.kind]
    try {
      // Stopped first: a kind node's controllers must see it stopped to end what runs in it; started last, once
      // its links are up, for them to start it again.
      if (verb !== 'start' && isRunning(info)) {
        markStopped(info)
        await power.stop(lab, info)
      }
      if (verb !== 'stop' && !isRunning(info)) {
        await power.start(lab, info)
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
