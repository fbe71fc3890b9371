/**
 * The one interface between the runner and a lab. The runner never imports a backend's internals: it asks a
 * backend to come up, to report its state, to run a probe command, and for the shell a learner's terminal opens.
 *
 * Two backends implement it: `real` (docker, kind, containerlab, helm on the machine) and `twin` (network
 * namespaces with FRR, GoBGP and an emulated cluster). Both pass the contract suite in `lab/contract-suite.ts`.
 */

import type { LabState } from '../protocol/messages.ts'

export type LabKind = 'real' | 'twin' | 'fixture'

export interface LabStatus {
  kind: LabKind
  state: LabState
  /** Why the lab is in this state, for the learner (`failed`: what went wrong and what to do). */
  reason?: string
  /** Folder with the files the learner needs (install.sh, topology, configs); the terminal starts there. */
  workspace?: string
  /** Tool name -> version string, or null when missing. */
  tools?: Record<string, string | null>
}

export interface LabProgress {
  /** Short machine-readable phase, e.g. `preflight`, `namespaces`, `daemons`. */
  phase: string
  message: string
}

export interface ExecOptions {
  /** Kill the command after this long (SIGTERM, then SIGKILL); the result then has `timedOut: true`. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Text written to the command's stdin. */
  input?: string
  cwd?: string
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
  timedOut: boolean
  durationMs: number
}

/** How to start the learner's interactive shell on the lab host; the runner spawns it in a pty. */
export interface ShellSpec {
  file: string
  args: string[]
  env: Record<string, string>
  cwd: string
}

export interface LabEvents {
  status: (status: LabStatus) => void
  progress: (progress: LabProgress) => void
}

export interface LabBackend {
  readonly kind: LabKind
  /**
   * Prepare the lab host: preflight, workspace with the course files, and (twin) the host namespace and the tool
   * shims on PATH. It does not build the cluster or the fabric: the learner does that with the course's commands.
   * Idempotent; cleans leftovers of a crashed earlier lab first.
   */
  up(options?: { signal?: AbortSignal }): Promise<void>
  /** Tear everything down: no namespace, daemon, mount or temp file left. Safe to call twice. */
  down(): Promise<void>
  status(): LabStatus
  /** Run `command` with `bash -c` on the lab host (where kubectl, docker exec, ... work). Never throws on non-zero exit. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  /** The learner's shell on the lab host. */
  shell(): ShellSpec
  /**
   * Makes the lab ready for a gated section that needs other versions than the lab the learner built (the real lab's
   * BGP v2 section: a Kubernetes 1.33 cluster with Cilium 1.18). Reports through `progress` events and the status
   * (`starting`, then `ready`, or `failed` with the reason); a section already prepared costs nothing. Absent, or a
   * section that needs nothing: every section runs on the lab as built (the twin emulates each version in place).
   */
  prepareSection?(section: string, options?: { signal?: AbortSignal }): Promise<void>
  on<E extends keyof LabEvents>(event: E, listener: LabEvents[E]): () => void
}
