import type { ContainerInfo } from '../context.ts'
import { humanDuration } from './human-duration.ts'

/**
 * What `docker stop` / `docker start` changed about a container: when it last started and, while stopped, when it
 * exited. Kept per ContainerInfo (not per name), so a container destroyed and deployed again starts fresh.
 */
interface RunState {
  startedAt: number
  finishedAt?: number
  /** The main process's exit status, while stopped. */
  exitCode?: number
}

const states = new WeakMap<ContainerInfo, RunState>()

const stateOf = (info: ContainerInfo): RunState => states.get(info) ?? { startedAt: info.createdAt }

export const isRunning = (info: ContainerInfo): boolean => stateOf(info).finishedAt === undefined

export const startedAt = (info: ContainerInfo): number => stateOf(info).startedAt

export const finishedAt = (info: ContainerInfo): number | undefined => stateOf(info).finishedAt

/**
 * The container stopped with its main process's status: a router's init ends on SIGTERM with 0, as VyOS's does; a
 * kind node's systemd outlasts docker stop's 10 s and is killed, so docker records 137 (kubernetes-sigs/kind issues
 * 1913 and 3428: `"ExitCode": 137` after `docker stop kind-control-plane`).
 */
export function markStopped(info: ContainerInfo, now = Date.now()): void {
  states.set(info, { ...stateOf(info), finishedAt: now, exitCode: info.kind === 'kind-node' ? 137 : 0 })
}

export function markStarted(info: ContainerInfo, now = Date.now()): void {
  states.set(info, { startedAt: now })
}

/** State.ExitCode: 0 while running, as docker reports it. */
export const exitCode = (info: ContainerInfo): number => stateOf(info).exitCode ?? 0

/** docker's State.Status word: `running` or `exited`. */
export const stateWord = (info: ContainerInfo): 'running' | 'exited' => (isRunning(info) ? 'running' : 'exited')

/**
 * The STATUS column as the daemon words it (moby container/state.go String()): `Up 5 minutes`, or
 * `Exited (0) 3 seconds ago` with the exit code markStopped recorded.
 */
export function statusText(info: ContainerInfo, now = Date.now()): string {
  const state = stateOf(info)
  if (state.finishedAt === undefined) return `Up ${humanDuration(now - state.startedAt)}`
  return `Exited (${exitCode(info)}) ${humanDuration(now - state.finishedAt)} ago`
}
