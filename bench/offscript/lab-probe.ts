/**
 * Whether the lab is still where its stop left it (stops.ts), read cheaply after every off-script command: how many
 * nodes are Ready, how many of leaf0's sessions are Established, and the BGP routes leaf0 holds. A command that
 * changes one of them changes every later command's answer too, so the sweep waits for the lab to come back and says
 * so. The probe reads the same things at every stop: only what it expects differs.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { LabBackend } from '../../lab/backend.ts'
import type { StopState } from './stops.ts'

export interface ProbeResult {
  usable: boolean
  /** What differs from the stop's state, one phrase each (empty when usable). */
  missing: string[]
}

/** One reading of the probe against `state`. */
export async function probeLab(lab: Pick<LabBackend, 'exec'>, state: StopState): Promise<ProbeResult> {
  const probe = [
    'kubectl get nodes --no-headers',
    "docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'",
    ...(state.routes
      ? [`docker exec clab-bgp-leaf0 vtysh -c 'show ip route ${state.routes.prefix} longer-prefixes'`]
      : []),
  ]
  const [nodes, summary, routes] = await Promise.all(probe.map((command) => lab.exec(command, { timeoutMs: 15_000 })))
  const missing: string[] = []
  const listed = nodes.stdout.split('\n').filter((line) => /^\S+\s+(Not)?Ready[\s,]/.test(line)).length
  const ready = nodes.stdout.split('\n').filter((line) => /^\S+\s+Ready\s/.test(line)).length
  if (nodes.exitCode !== 0 || listed !== 4 || ready !== state.ready)
    missing.push(`${state.ready} of 4 nodes Ready (kubectl get nodes: ${ready} of ${listed} Ready)`)
  const established = establishedPeers(summary.stdout)
  if (summary.exitCode !== 0 || established !== state.established)
    missing.push(`${state.established} of leaf0's 4 BGP sessions Established (${established} Established)`)
  if (state.routes && routes) {
    const count = routes.stdout.split('\n').filter((line) => line.startsWith('B>*')).length
    if (routes.exitCode !== 0 || count !== state.routes.count)
      missing.push(`${state.routes.what} on leaf0 (${count} BGP route(s) in ${state.routes.prefix})`)
  }
  return { usable: missing.length === 0, missing }
}

function establishedPeers(json: string): number {
  try {
    const peers = JSON.parse(json)?.ipv4Unicast?.peers ?? {}
    return Object.values(peers).filter((peer) => (peer as { state?: string }).state === 'Established').length
  } catch {
    return 0
  }
}

/**
 * Reads the probe until the lab is as `state` says or `timeoutMs` passed: after a router restart FRR holds a peer idle
 * for seconds, so one reading right after a command would call a lab that is coming back broken.
 */
export async function waitUsable(
  lab: Pick<LabBackend, 'exec'>,
  state: StopState,
  timeoutMs = 60_000,
): Promise<ProbeResult> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await probeLab(lab, state)
    if (result.usable || Date.now() > deadline) return result
    await sleep(1000)
  }
}
