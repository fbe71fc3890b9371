import type { TwinContext } from '../context.ts'
import type { ToolHandler } from './tool.ts'

/** What a tool call printed and how it ended; `execLocal` when it handed an interactive command to the shim. */
export interface ToolOutcome {
  exitCode: number
  stdout: string
  stderr: string
  execLocal?: string[]
}

/** Where and how a tool is called: the caller's directory, its piped stdin (null: a terminal), tty-ness. */
export interface CallOptions {
  cwd: string
  stdin?: string | null
  tty?: boolean
  /** Ends a streaming command as the shim's exit would (Ctrl-C). */
  signal?: AbortSignal
  /** The caller's environment (a pod's K8S_NODE_NAME). @default {} */
  env?: Record<string, string>
}

/**
 * Calls a tool handler in this process as the daemon does for a shim, in `options.env` (empty unless given), and
 * collects its output (a tool that runs another, as cilium-cli runs the agent CLI in its pods; tests of the tools without the socket). exitCode is -1 when the result is an execLocal.
 */
export async function callTool(
  tool: ToolHandler,
  lab: TwinContext,
  argv: string[],
  options: CallOptions,
): Promise<ToolOutcome> {
  let stdout = ''
  let stderr = ''
  const io = {
    argv,
    cwd: options.cwd,
    env: options.env ?? {},
    stdin: options.stdin ?? null,
    tty: options.tty ?? false,
    signal: options.signal,
  }
  const result = await tool(
    { ...io, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    lab,
  )
  return 'execLocal' in result
    ? { exitCode: -1, stdout, stderr, execLocal: result.execLocal }
    : { exitCode: result.exitCode, stdout, stderr }
}
