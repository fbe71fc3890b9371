import { LabError } from '../../lab-error.ts'
import type { TwinContext } from '../context.ts'
import type { ClabEndpoint, ClabLink, Topology } from './topology.ts'

/**
 * Links as veth pairs made directly between namespaces (`ip -n A link add X type veth peer name Y netns B`): the
 * machine's own namespace is never touched. A bridge endpoint's veth end goes into the lab host namespace and is
 * enslaved to the learner's bridge there.
 */

/** The namespace an endpoint's interface lives in. */
export function endpointNs(lab: TwinContext, topology: Topology, endpoint: ClabEndpoint): string {
  const node = topology.nodes.get(endpoint.node)!
  if (node.kind === 'bridge') return lab.ns('host')
  if (node.sharesWith) return lab.containers.get(node.sharesWith)!.ns
  return lab.ns(node.container)
}

async function must(lab: TwinContext, argv: string[], what: string): Promise<void> {
  const result = await lab.run(argv)
  if (result.exitCode !== 0) throw new LabError('TWIN_CLAB_LINK', `${what}: ${result.stderr.trim()}`)
}

export async function createLink(lab: TwinContext, topology: Topology, link: ClabLink): Promise<void> {
  const nsA = endpointNs(lab, topology, link.a)
  const nsB = endpointNs(lab, topology, link.b)
  const what = `failed to create link ${link.a.node}:${link.a.iface} <--> ${link.b.node}:${link.b.iface}`
  await must(
    lab,
    ['ip', '-n', nsA, 'link', 'add', link.a.iface, 'type', 'veth', 'peer', 'name', link.b.iface, 'netns', nsB],
    what,
  )
  for (const [ns, endpoint] of [
    [nsA, link.a],
    [nsB, link.b],
  ] as const) {
    const node = topology.nodes.get(endpoint.node)!
    if (node.kind === 'bridge')
      await must(lab, ['ip', '-n', ns, 'link', 'set', endpoint.iface, 'master', node.name], what)
    await must(lab, ['ip', '-n', ns, 'link', 'set', endpoint.iface, 'up'], what)
  }
}

/**
 * Removes a link by deleting one end (the kernel deletes the peer). Router namespaces vanish on destroy and take
 * their ends along; this matters for links between bridges and nodes sharing a kind node's namespace.
 */
export async function deleteLink(lab: TwinContext, topology: Topology, link: ClabLink): Promise<void> {
  const nsA = endpointNs(lab, topology, link.a)
  await lab.run(['ip', '-n', nsA, 'link', 'del', link.a.iface])
}

/** Names of the Linux bridges that exist in the lab host namespace. */
export async function hostBridges(lab: TwinContext): Promise<Set<string>> {
  const result = await lab.run(['ip', '-n', lab.ns('host'), '-j', 'link', 'show', 'type', 'bridge'])
  const links =
    result.exitCode === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as Array<{ ifname: string }>) : []
  return new Set(links.map((link) => link.ifname))
}
