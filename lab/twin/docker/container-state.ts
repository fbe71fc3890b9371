import type { ContainerInfo } from '../context.ts'
import { humanDuration } from './human-duration.ts'

/**
 * What `docker stop` / `docker start` changed about a container: when it last started and, while stopped, when it
 * exited. Kept per ContainerInfo (not per name), so a container destroyed and deployed again starts fresh.
 */
interface RunState {
  startedAt: number
  finishedAt?: number
}

const states = new WeakMap<ContainerInfo, RunState>()

const stateOf = (info: ContainerInfo): RunState => states.get(info) ?? { startedAt: info.createdAt }

export const isRunning = (info: ContainerInfo): boolean => stateOf(info).finishedAt === undefined

export const startedAt = (info: ContainerInfo): number => stateOf(info).startedAt

export const finishedAt = (info: ContainerInfo): number | undefined => stateOf(info).finishedAt

export function markStopped(info: ContainerInfo, now = Date.now()): void {
  states.set(info, { ...stateOf(info), finishedAt: now })
}

export function markStarted(info: ContainerInfo, now = Date.now()): void {
  states.set(info, { startedAt: now })
}

/** docker's State.Status word: `running` or `exited`. */
export const stateWord = (info: ContainerInfo): 'running' | 'exited' => (isRunning(info) ? 'running' : 'exited')

/**
 * The STATUS column as the daemon words it (moby container/state.go String()): `Up 5 minutes`, or
 * `Exited (0) 3 seconds ago`; the twin's routers stop on SIGTERM as VyOS's init does, so the code is 0.
 */
export function statusText(info: ContainerInfo, now = Date.now()): string {
  const state = stateOf(info)
  if (state.finishedAt === undefined) return `Up ${humanDuration(now - state.startedAt)}`
  return `Exited (0) ${humanDuration(now - state.finishedAt)} ago`
}
