import { isIPv4 } from 'node:net'
import { join } from 'node:path'
import { CONTAINER_BIN } from '../container/container-root.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolIO, ToolResult } from '../daemon/tool.ts'

/**
 * Operational mode's `reset ip bgp` in a router's shell: VyOS's op-mode templates run FRR's `clear ip bgp` through
 * vtysh (`reset ip bgp all` is `clear ip bgp *`; later vyos-1x op-mode-definitions keep the same mapping), so the
 * twin runs it in the router's own vtysh and FRR answers the options after the peer (soft, in, out). An unfinished
 * command is vyatta-op's "Incomplete command" (functions/interpreter/vyatta-op-run, `_vyatta_op_run`).
 */
const RESET_HINT =
  "The twin's routers reset BGP sessions only: reset ip bgp <peer>|all, or vtysh -c 'clear ...' for the rest of FRR."

export function opReset(io: ToolIO, args: string[]): ToolResult {
  const [family, protocol, peer, ...options] = args
  const incomplete = (words: string[]) => {
    io.stderr(`\n  Incomplete command: ${['reset', ...words].join(' ')}\n\n`)
    return { exitCode: 1 }
  }
  if (family === undefined) return incomplete([])
  if (family !== 'ip' || (protocol !== undefined && protocol !== 'bgp'))
    throw new NotEmulatedError('vyos', ['reset', ...args.slice(0, 2)].join(' '), RESET_HINT)
  if (protocol === undefined || peer === undefined) return incomplete(args)
  if (peer !== 'all' && !isIPv4(peer)) {
    // vyatta-op-run's answer to a word that is neither a keyword nor a value of the tag node.
    io.stderr(`\n  Invalid command: reset ip bgp [${peer}]\n\n`)
    return { exitCode: 1 }
  }
  const target = peer === 'all' ? '*' : peer
  return { execLocal: [join(CONTAINER_BIN, 'vtysh'), '-c', ['clear ip bgp', target, ...options].join(' ')] }
}
