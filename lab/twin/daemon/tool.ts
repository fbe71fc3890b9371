import type { TwinContext } from '../context.ts'

/** One invocation of a lab tool (kubectl, docker, clab, ...) as the shim on PATH forwarded it to the twin daemon. */
export interface ToolIO {
  /** Arguments after the tool name. */
  argv: string[]
  /** Caller's working directory. */
  cwd: string
  /** Caller's environment. */
  env: Record<string, string>
  /** Whole stdin when piped or redirected; null when stdin is a terminal. */
  stdin: string | null
  /** stdin and stdout are terminals (for -it). */
  tty: boolean
  stdout(text: string): void
  stderr(text: string): void
  /**
   * Aborted when the caller is gone (the shim ended: Ctrl-C, a closed terminal): a command that streams until
   * interrupted (`kubectl get -w`) stops there. Absent where the caller always waits for the end.
   */
  signal?: AbortSignal
  /**
   * Tells the shim that from now on Ctrl-C (and SIGTERM, SIGHUP, SIGQUIT) ends it quietly with `exitCode`, as
   * kubectl's interrupt handler does around a watch; without it the shim dies of the signal like any program.
   */
  interruptible?(exitCode: number): void
}

/** An exit code, or an argv the shim must exec itself with inherited stdio (interactive shells). */
export type ToolResult = { exitCode: number } | { execLocal: string[] }

export type ToolHandler = (io: ToolIO, lab: TwinContext) => Promise<ToolResult>
