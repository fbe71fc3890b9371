/**
 * Whether the lab is still where chapter 6 left it, read cheaply after every off-script command: the four nodes
 * Ready, leaf0's four sessions Established, and the service's /32 from the red pool on leaf0. A command that breaks
 * one of them breaks every later command's answer too, so the sweep waits for the lab to come back and says so.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { LabBackend } from '../../lab/backend.ts'

const PROBE = [
  'kubectl get nodes --no-headers',
  "docker exec clab-bgp-leaf0 vtysh -c 'show bgp summary json'",
  "docker exec clab-bgp-leaf0 vtysh -c 'show ip route 30.0.10.0/24 longer-prefixes'",
]

export interface ProbeResult {
  usable: boolean
  /** What is missing, one phrase each (empty when usable). */
  missing: string[]
}

/** One reading of the probe. */
export async function probeLab(lab: Pick<LabBackend, 'exec'>): Promise<ProbeResult> {
  const [nodes, summary, routes] = await Promise.all(PROBE.map((command) => lab.exec(command, { timeoutMs: 15_000 })))
  const missing: string[] = []
  const ready = nodes.stdout.split('\n').filter((line) => /^\S+\s+Ready\s/.test(line)).length
  if (nodes.exitCode !== 0 || ready !== 4) missing.push(`4 nodes Ready (kubectl get nodes: ${ready} Ready)`)
  const established = established4(summary.stdout)
  if (summary.exitCode !== 0 || established !== 4)
    missing.push(`leaf0's 4 BGP sessions Established (${established} Established)`)
  if (routes.exitCode !== 0 || !/^B>\* 30\.0\.10\.\d+\/32/m.test(routes.stdout))
    missing.push("the service's 30.0.10.x/32 on leaf0")
  return { usable: missing.length === 0, missing }
}

function established4(json: string): number {
  try {
    const peers = JSON.parse(json)?.ipv4Unicast?.peers ?? {}
    return Object.values(peers).filter((peer) => (peer as { state?: string }).state === 'Established').length
  } catch {
    return 0
  }
}

/**
 * Reads the probe until the lab is usable or `timeoutMs` passed: after a router restart FRR holds a peer idle for
 * seconds, so one reading right after a command would call a lab that is coming back broken.
 */
export async function waitUsable(lab: Pick<LabBackend, 'exec'>, timeoutMs = 60_000): Promise<ProbeResult> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await probeLab(lab)
    if (result.usable || Date.now() > deadline) return result
    await sleep(1000)
  }
}
