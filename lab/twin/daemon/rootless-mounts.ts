import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { execa } from 'execa'
import { LabError } from '../../lab-error.ts'

/**
 * Private mounts a rootless lab needs, made inside its own mount namespace (nothing outside it changes):
 *  - a tmpfs on /run, for /run/netns and the lab's run dir (the machine's /run is not writable by the learner);
 *  - a tmpfs on /var/tmp, where FRR keeps per-process crash dirs;
 *  - an /etc/group where root is in `frrvty`: FRR runs as root here (the `frr` uid is not mapped) and refuses to
 *    start unless its user is in the vty group.
 */
async function mount(args: string[]): Promise<void> {
  const result = await execa('mount', args, { reject: false })
  if (result.exitCode !== 0)
    throw new LabError('TWIN_ROOTLESS_MOUNT', `mount ${args.join(' ')} failed: ${result.stderr}`)
}

export async function prepareRootlessMounts(): Promise<void> {
  const groups = readFileSync('/etc/group', 'utf8')
  await mount(['-t', 'tmpfs', 'tmpfs', '/run'])
  await mount(['-t', 'tmpfs', 'tmpfs', '/var/tmp'])
  mkdirSync('/run/bgplab', { recursive: true })
  const withRoot = groups.replace(
    /^(frrvty:[^:]*:\d+:)(.*)$/m,
    (_line, head: string, members: string) => `${head}${members ? `${members},root` : 'root'}`,
  )
  writeFileSync('/run/bgplab/group', withRoot)
  await mount(['--bind', '/run/bgplab/group', '/etc/group'])
}
