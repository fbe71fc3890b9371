import type { TwinContext } from '../context.ts'
import { answeringNotEmulated, NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO, ToolResult } from '../daemon/tool.ts'
import { routerFiles } from './router-files.ts'
import { configCommand } from './vyos-configure.ts'
import { opShow } from './vyos-op.ts'
import { opReset } from './vyos-reset.ts'

/**
 * The VyOS CLI of the twin's routers, called by the scripts and shell functions of a router's shells
 * (router-shell.ts): `vyos <container> show ...` and `vyos <container> op set|reset|traceroute ...` for operational mode,
 * `vyos <container> cfg <session> <verb> ...` for configuration mode. It runs in the daemon because commit needs the VyOS-to-FRR translation.
 */
const OUTSIDE =
  'VyOS commands run inside a router: docker exec -it clab-bgp-leaf0 bash, then show ip route or configure.'

const OP_SET_HINT =
  "The twin's routers keep the lab host's date and terminal; configuration commands need configure first."

/** VyOS ships traceroute; the lab host's tools, which the twin's routers run, do not. */
const TRACEROUTE_HINT =
  'Each router of the lab is one hop: show ip route <address> names the next hop on every router, and ping checks the path.'

async function run(io: ToolIO, lab: TwinContext): Promise<ToolResult> {
  const [container, mode, ...rest] = io.argv
  const info = container ? lab.containers.get(container) : undefined
  if (info?.kind !== 'router') throw new NotEmulatedError('vyos', io.argv.join(' ') || 'vyos', OUTSIDE)
  const files = routerFiles(lab, info.name)
  if (mode === 'show') return opShow(io, lab, info, files, rest)
  if (mode === 'op' && rest[0] === 'reset') return opReset(io, rest.slice(1))
  if (mode === 'op' && rest[0] === 'traceroute') throw new NotEmulatedError('traceroute', 'traceroute', TRACEROUTE_HINT)
  // Operational `set` (date, terminal, console, system image): real, and nothing the lab's routing needs.
  if (mode === 'op' && rest[0] === 'set') throw new NotEmulatedError('vyos', rest.slice(0, 2).join(' '), OP_SET_HINT)
  const [session, verb, ...args] = rest
  if (mode !== 'cfg' || !/^\d+$/.test(session ?? '') || !verb)
    throw new NotEmulatedError('vyos', io.argv.slice(1).join(' '), OUTSIDE)
  return { exitCode: await configCommand(io, lab, info, files, session, verb, args) }
}

export const vyosTool: ToolHandler = answeringNotEmulated(run)
