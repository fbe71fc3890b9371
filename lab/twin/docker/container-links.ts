import type { TwinContext } from '../context.ts'

/**
 * A stopped container's links. Stopping a real container takes its network namespace away, so the veth peers on the
 * other side lose carrier; the twin keeps the namespace (so the links are there again on start) and sets its
 * interfaces down instead.
 */

/** The container's interfaces other than lo. */
async function interfaces(lab: TwinContext, ns: string): Promise<string[]> {
  const result = await lab.run(['ip', '-j', 'link', 'show'], { ns })
  const links =
    result.exitCode === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as Array<{ ifname: string }>) : []
  return links.map((link) => link.ifname).filter((name) => name !== 'lo')
}

export async function setLinks(lab: TwinContext, ns: string, state: 'up' | 'down'): Promise<void> {
  for (const name of await interfaces(lab, ns)) await lab.run(['ip', 'link', 'set', name, state], { ns })
}
