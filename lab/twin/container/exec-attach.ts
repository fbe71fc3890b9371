import { fileURLToPath } from 'node:url'
import type { TwinContext } from '../context.ts'
import { type ContainerSpec, containerPtmx } from './container-root.ts'

const SCRIPT = fileURLToPath(new URL('exec-attach.pl', import.meta.url))

/** How an exec's command meets its caller: the flags of `docker exec` / `kubectl exec` as their client reads them. */
export interface Attach {
  /** A pty of the container (-t). */
  tty: boolean
  /** The caller's input reaches the command (-i). */
  stdin: boolean
  /** Printed with the exit code when the command fails, `%d` for it (kubectl's message). */
  failure?: string
}

/**
 * The argv the shim runs for an exec in `spec`: `enter` (into the container's namespaces, ending where the command's
 * words go) then `command`, under exec-attach.pl, which connects it as the runtime and the client do. With a tty, the
 * command first makes the container's new pty its controlling terminal in a session of its own (`setsid -c`), as
 * runc starts an exec with a console: it leads its session inside the container, so an interactive shell's job
 * control works and `tty` names /dev/pts/N of the container. A container without a /dev/pts of its own runs the
 * command on the caller's terminal instead, as the twin did before it had one.
 */
export async function attachExec(
  lab: TwinContext,
  spec: ContainerSpec,
  enter: string[],
  command: string[],
  attach: Attach,
): Promise<string[]> {
  const ptmx = attach.tty ? await containerPtmx(lab, spec) : undefined
  if (attach.tty && !ptmx) return [...enter, ...command]
  return [
    'perl',
    SCRIPT,
    ptmx ?? '',
    attach.stdin ? '1' : '',
    attach.failure ?? '',
    '--',
    ...enter,
    // -w: were it to fork (a process group leader), it still exits with the command's status.
    ...(ptmx ? ['setsid', '-w', '-c'] : []),
    ...command,
  ]
}
