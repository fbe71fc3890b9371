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
}

/** An exit code, or an argv the shim must exec itself with inherited stdio (interactive shells). */
export type ToolResult = { exitCode: number } | { execLocal: string[] }

export type ToolHandler = (io: ToolIO, lab: TwinContext) => Promise<ToolResult>
