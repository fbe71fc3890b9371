import type { TwinContext } from '../context.ts'

/** Runs iproute2 commands in one process (`ip -n NS -batch -`): one fork instead of one per command. */
export async function ipBatch(lab: TwinContext, ns: string, lines: string[]): Promise<void> {
  const result = await lab.run(['ip', '-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n` })
  if (result.exitCode !== 0) throw new Error(`ip -n ${ns}: ${result.stderr.trim()}`)
}
