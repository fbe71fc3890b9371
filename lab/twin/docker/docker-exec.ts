import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CONTAINER_BASHRC, type ContainerSpec, containerFiles, enterContainer } from '../container/container-root.ts'
import { containerHostname, dockerContainer, ROUTER_FRR_DIR } from '../container/container-specs.ts'
import { attachExec } from '../container/exec-attach.ts'
import { CONTAINER_PATH, execNotFound } from '../container/exec-lookup.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { labHostPaths } from '../daemon/lab-host.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import { writeShim } from '../daemon/shims.ts'
import type { ToolIO, ToolResult } from '../daemon/tool.ts'
import { routerFiles } from '../router/router-files.ts'
import { OPT_LAYER, routerShellRc, VYOS_CONFIG_BOOT } from '../router/router-shell.ts'
import { type DockerArgs, lastValue, parseDockerFlags } from './docker-flags.ts'

/**
 * `docker exec [-i] [-t] [-e K=V] [-w DIR] <container> <cmd...>`. The shim runs the command itself (execLocal), in
 * the container's namespaces: output streams live, Ctrl-C and exit codes behave, and a caller's timeout kills it.
 * The command sees the container's environment, not the caller's, like a real container. With -t it runs on a new
 * pty of the container, relayed to the caller's terminal as the docker client does (exec-attach.ts).
 */

/** The interactive shell's setup, at the container's /etc/bash.bashrc (`ps` shows `bash --rcfile /etc/bash.bashrc`). */
function shellRc(lab: TwinContext, info: ContainerInfo, path: string, routerRc: string | undefined): string {
  writeFileSync(
    containerFiles(lab, info.name).bashrc,
    `export PATH='${path}'\nPS1='\\u@\\h:\\w\\$ '\n${routerRc ? `. '${routerRc}'\n` : ''}`,
  )
  return CONTAINER_BASHRC
}

/**
 * A kind node's `crictl`, in its /usr/local/bin as in kindest/node: a shim asking the twin's docker for `docker exec
 * NODE crictl ...` (docker-tool.ts answers it from the cluster), so crictl works in the node's own shell too.
 */
function writeNodeBin(lab: TwinContext, info: ContainerInfo): void {
  const { bin } = containerFiles(lab, info.name)
  mkdirSync(bin, { recursive: true })
  writeShim(join(bin, 'crictl'), labHostPaths(lab.runDir).socket, ['docker', 'exec', info.name, 'crictl'])
}

/**
 * The shell that enters the container, as `<enter the container> sh -c SCRIPT [opt-layer boot-file] CMD...`:
 *  - the container's namespaces (container-root.ts): its processes, host name and image's /etc/os-release;
 *  - stdin only with `-i`, as docker attaches it: without, the command reads an empty stdin (a loop such as
 *    `while read n; do docker exec $n cat; done < list` keeps its input); with it, the piped input, which the shim
 *    hands the command itself (client.pl run_local), or what exec-attach.pl connects (the caller's terminal through
 *    a pipe, a pty of the container); with -t alone, the pty, which then has no input (`keepStdin`);
 *  - on a router, its view of its boot config: /opt/vyatta/etc/config/config.boot bound to the file the topology
 *    binds there (the learner's startup-conf/<router>-boot.cfg), as in the real lab's container. Bound afresh for
 *    each shell, in a mount namespace of its own inside the container's, since the learner's editor may replace
 *    that file: the shell overlays /opt with the router's layer (which holds the mount point) and binds the file on
 *    it. Best effort: a kernel that refuses the overlay still gets its shell, without the file.
 */
async function enter(lab: TwinContext, spec: ContainerSpec, router: boolean, keepStdin: boolean): Promise<string[]> {
  const steps = keepStdin ? [] : ['exec 0</dev/null']
  const args: string[] = []
  if (router) {
    const files = routerFiles(lab, spec.key)
    steps.push(
      `{ { mount -t overlay overlay -o "lowerdir=$0:/opt" /opt && mount --bind "$1" ${VYOS_CONFIG_BOOT}; } 2>/dev/null || true; }`,
    )
    args.push(join(files.dir, OPT_LAYER), files.saved)
  }
  const container = await enterContainer(lab, spec)
  return [
    ...container,
    ...(router ? ['unshare', '--mount'] : []),
    'sh',
    '-c',
    [...steps, `shift ${Math.max(args.length - 1, 0)}`, 'exec "$@"'].join(' && '),
    ...(args.length ? args : ['sh']),
  ]
}

/** `docker exec --help` (Docker 24); --privileged is honoured as given, the twin's commands run with every privilege. */
const FLAGS: Record<string, FlagSpec> = {
  detach: { short: 'd' },
  'detach-keys': { value: true },
  env: { short: 'e', value: true },
  'env-file': { value: true },
  interactive: { short: 'i' },
  privileged: {},
  tty: { short: 't' },
  user: { short: 'u', value: true },
  workdir: { short: 'w', value: true },
}
const HINT =
  "The twin's docker exec takes -i, -t, -e, -w and -u root; run a long command in the background inside it: docker exec NAME sh -c 'CMD &'."

/**
 * A `docker exec` line (the words after `exec`): flags end at the container's name, as docker reads them, so the
 * command keeps its own (`docker exec leaf0 ip -4 r`).
 */
export function parseExec(argv: string[]): DockerArgs {
  const parsed = parseDockerFlags('exec', argv, FLAGS, {
    honoured: ['env', 'interactive', 'privileged', 'tty', 'user', 'workdir'],
    hint: HINT,
    interspersed: false,
  })
  const user = lastValue(parsed, 'user')
  // Everything in the twin runs as root: another user would silently get root's rights.
  if (user !== undefined && !/^(root|0)(:(root|0))?$/.test(user))
    throw new NotEmulatedError(
      'docker',
      `exec --user ${user}`,
      "The twin's containers run everything as root: drop -u.",
    )
  return parsed
}

/** `docker exec` of a line parseExec read. */
export async function dockerExec(io: ToolIO, lab: TwinContext, parsed: DockerArgs): Promise<ToolResult> {
  const env = parsed.flags.get('env') ?? []
  const interactive = parsed.flags.has('interactive')
  const tty = parsed.flags.has('tty')
  const workdir = lastValue(parsed, 'workdir') ?? '/'
  const [name, ...command] = parsed.args
  if (!name || command.length === 0) {
    io.stderr(
      `"docker exec" requires at least 2 arguments.\nSee 'docker exec --help'.\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nExecute a command in a running container\n`,
    )
    return { exitCode: 1 }
  }
  const info = lab.containers.get(name)
  if (!info) {
    io.stderr(`Error: No such container: ${name}\n`)
    return { exitCode: 1 }
  }
  // docker 24 CheckTty (cli/streams/in.go): a tty with stdin attached needs a terminal there (the shim sends a
  // piped or redirected stdin, null when it is a terminal). -t alone runs anywhere.
  if (tty && interactive && io.stdin !== null) {
    io.stderr('the input device is not a TTY\n')
    return { exitCode: 1 }
  }
  // Routers have their instance's vtysh and VyOS's CLI in their /usr/local/bin, and `configure` in bash, read from
  // where the container shows the instance dir (see router-shell.ts); kind nodes have crictl there.
  const router = info.kind === 'router' && existsSync(join(containerFiles(lab, info.name).bin, 'vtysh'))
  if (info.kind === 'kind-node') writeNodeBin(lab, info)
  const path = CONTAINER_PATH
  const routerRc = router ? routerShellRc(ROUTER_FRR_DIR) : undefined
  const vars = [
    `PATH=${path}`,
    'HOME=/root',
    `HOSTNAME=${containerHostname(info)}`,
    // The daemon's defaults for an exec (moby container.CreateDaemonEnvironment with the exec's Tty, docker 24):
    // TERM=xterm with -t, whatever the caller's terminal is, and none without.
    ...(tty ? ['TERM=xterm'] : []),
    ...(routerRc ? [`BASH_ENV=${routerRc}`] : []),
    ...env,
  ]
  const run =
    command[0] === 'bash' && command.length === 1 && interactive && tty
      ? ['bash', '--rcfile', shellRc(lab, info, path, routerRc), '-i']
      : command
  // Entered first: a container started on demand (a clab linux node) has its own bin only then.
  const spec = dockerContainer(lab, info)
  const shell = await enter(lab, spec, router, interactive || tty)
  // As the daemon answers (exit 126) when the command is not in the container: the twin's exec would name nsenter.
  const missing = execNotFound(run[0], containerFiles(lab, info.name).bin, path)
  if (missing !== null) {
    io.stderr(`${missing}\n`)
    return { exitCode: 126 }
  }
  const inside = ['env', '-i', '-C', workdir, ...vars, ...run]
  // A terminal's input reaches a command without a tty through a pipe (io.stdin is null for a terminal).
  return tty || (interactive && io.stdin === null)
    ? { execLocal: await attachExec(lab, spec, shell, inside, { tty, stdin: interactive }) }
    : { execLocal: [...shell, ...inside] }
}
