/**
 * What a VyOS commit does to FRR: VyOS 1.2 applies a changed `protocols bgp` by running vtysh commands for the
 * statements that changed (vyatta-cfg-quagga's templates), so the twin compares the `router bgp` blocks translated
 * from the running and the working config and turns the difference into vtysh `-c` commands. Unchanged statements
 * are not touched, so established sessions stay up unless their own neighbor changed.
 */

type Block = { asn: string; head: string[]; family: string[] }

/** `router bgp N` blocks as frr-config.ts writes them: statements at one space, address-family ones at two. */
function blocks(lines: string[]): Map<string, Block> {
  const result = new Map<string, Block>()
  let current: Block | undefined
  for (const line of lines) {
    const asn = /^router bgp (\d+)$/.exec(line)?.[1]
    if (asn) {
      current = { asn, head: [], family: [] }
      result.set(asn, current)
    } else if (current && line.startsWith('  ')) current.family.push(line.trim())
    else if (current && line !== ' address-family ipv4 unicast' && line !== ' exit-address-family')
      current.head.push(line.trim())
  }
  return result
}

const neighborOf = (statement: string) => /^neighbor (\S+) /.exec(statement)?.[1]

/** Removed statements as `no ...`, except what `no neighbor X` already removes and a remote-as that is replaced. */
function removals(before: string[], after: string[], gone: Set<string>, headOfAfter: string[]): string[] {
  return before
    .filter((statement) => !after.includes(statement))
    .flatMap((statement) => {
      const peer = neighborOf(statement)
      if (peer && gone.has(peer)) return []
      if (
        peer &&
        statement.startsWith(`neighbor ${peer} remote-as `) &&
        headOfAfter.some((s) => s.startsWith(`neighbor ${peer} remote-as `))
      )
        return []
      return [`no ${statement}`]
    })
}

/** vtysh commands turning the `before` bgp block into `after` (both as RouterConfig.bgp); [] when they are equal. */
export function bgpCommands(before: string[], after: string[]): string[] {
  const old = blocks(before)
  const next = blocks(after)
  const commands: string[] = []
  for (const asn of old.keys()) if (!next.has(asn)) commands.push(`no router bgp ${asn}`)
  for (const [asn, block] of next) {
    const was = old.get(asn) ?? { asn, head: [], family: [] }
    const peersBefore = new Set(was.head.map(neighborOf).filter((peer): peer is string => !!peer))
    const peersAfter = new Set(block.head.map(neighborOf).filter((peer): peer is string => !!peer))
    const gone = new Set([...peersBefore].filter((peer) => !peersAfter.has(peer)))
    const head = [
      ...[...gone].map((peer) => `no neighbor ${peer}`),
      ...removals(was.head, block.head, gone, block.head),
      ...block.head.filter((statement) => !was.head.includes(statement)),
    ]
    const family = [
      ...removals(was.family, block.family, gone, block.head),
      ...block.family.filter((statement) => !was.family.includes(statement)),
    ]
    if (head.length === 0 && family.length === 0) continue
    commands.push(`router bgp ${asn}`, ...head)
    if (family.length) commands.push('address-family ipv4 unicast', ...family, 'exit-address-family')
    commands.push('exit')
  }
  return commands.length ? ['configure terminal', ...commands, 'end'] : []
}
