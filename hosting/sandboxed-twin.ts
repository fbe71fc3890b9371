/**
 * The lab of a hosted learner: a twin in a sandbox (lab/twin/sandbox/). The learner is root in it and a stranger on the
 * hub's machine: a uid of its own, no view of the hub's processes, environment or the other labs, and a cgroup that
 * holds it to its memory, pids and CPU limits. Root only (the hub refuses hosted labs otherwise).
 */
import type { LabBackend } from '../lab/backend.ts'
import { createTwinBackend } from '../lab/twin/backend.ts'
import type { SandboxOptions } from '../lab/twin/sandbox/sandbox.ts'

export type HostedLabLimits = Pick<SandboxOptions, 'memoryBytes' | 'pids' | 'cpus'>

/** `createLab` for `runnerLabStarter`: the runner's state dir stays visible (read-only) even when it is under /tmp. */
export function sandboxedTwin(limits: HostedLabLimits = {}): (stateDir: string) => Promise<LabBackend> {
  return async (stateDir) => createTwinBackend({ sandbox: { ...limits, share: [stateDir] } })
}
