import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The lab host: the namespace where the learner's shell and the runner's probes run, with the tool shims first on
 * PATH. These paths are derived from the run dir alone, so the backend (another process) finds what the daemon made.
 */
export interface LabHostPaths {
  /** Shims: kind, clab, containerlab, docker, helm, kubectl. */
  bin: string
  /** HOME of the lab host; the workspace is `<home>/lab` so the prompt reads `~/lab`. */
  home: string
  workspace: string
  rcfile: string
  socket: string
}

/** The daemon's ready line: where the lab lives. */
export interface DaemonReady {
  id: string
  runDir: string
  workspace: string
  hostNs: string
  pid: number
}

export function labHostPaths(runDir: string): LabHostPaths {
  const home = join(runDir, 'home')
  return {
    bin: join(runDir, 'bin'),
    home,
    workspace: join(home, 'lab'),
    rcfile: join(runDir, 'bashrc'),
    socket: join(runDir, 'daemon.sock'),
  }
}

/**
 * What of the caller's environment a lab gets: the command search path, locale, terminal and time zone, nothing else.
 * The caller may be a hub whose environment holds INSTRUCTOR_SECRET and WORKSHOP_CODE, or a learner's shell with
 * tokens and keys: a lab (its daemon, every tool it starts, the learner's shell, the probes) must see none of it, and
 * `env` in the lab should print what a fresh root login on the lab host prints.
 */
const PASSED = /^(PATH|LANG|LANGUAGE|LC_[A-Z]+|TERM|TZ)$/

/** The whitelisted part of `base`, for the twin daemon and whatever else of a lab does not run on the lab host. */
export function labEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined && PASSED.test(entry[0])),
  )
}

/**
 * The environment of a command on the lab host starting in `cwd`: the whitelist of `labEnv`, with the shims first on
 * PATH, root's identity (the lab host's user), the lab's HOME, and PWD, so bash keeps the logical path (`~/lab`) when
 * the workspace is a link to a kept folder.
 */
export function labHostEnv(
  paths: LabHostPaths,
  cwd: string,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    ...labEnv(base),
    PATH: `${paths.bin}:${base.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    HOME: paths.home,
    USER: 'root',
    LOGNAME: 'root',
    PWD: cwd,
  }
}

/** The interactive shell's startup file: the real lab's host is called `kind`, so its prompt is `root@kind:~/lab#`. */
export function writeLabHostRc(paths: LabHostPaths): void {
  writeFileSync(
    paths.rcfile,
    [`export PATH='${paths.bin}':"$PATH"`, `export HOME='${paths.home}'`, `PS1='\\u@kind:\\w\\$ '`, ''].join('\n'),
  )
}
