import { CodedError } from '../../../protocol/coded-error.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { FlagParseError, type FlagSpec, type ParsedFlags, parseFlags } from '../daemon/pflag.ts'
import type { ToolHandler } from '../daemon/tool.ts'

/**
 * A docker command line read as the docker CLI (cobra and pflag) reads it, over the flags of the command's
 * `docker <command> --help` (Docker 24). Every table is the real command's, so a flag the twin does not do is
 * refused by name (NotEmulatedError) and only a flag docker lacks gets docker's `unknown flag`.
 */

/** docker's answer to a flag its command does not have or one missing its value: pflag's words and the help to see. */
export class DockerFlagError extends CodedError<'TWIN_DOCKER_FLAG'> {
  /** @param command the command as `docker <command> --help` names it (`ps`, `network ls`; '' for docker itself) */
  constructor(message: string, command: string) {
    // docker/cli's FlagErrorFunc; the twin's docker prints the message and exits 125, as docker's StatusError.
    super('TWIN_DOCKER_FLAG', `${message}\nSee 'docker ${command ? `${command} ` : ''}--help'.`)
  }
}

/** docker printing its flag errors (exit 125, docker's StatusError for them) around the rest of a tool's answer. */
export function answeringFlagErrors(run: ToolHandler): ToolHandler {
  return async (io, lab) => {
    try {
      return await run(io, lab)
    } catch (error) {
      if (!(error instanceof DockerFlagError)) throw error
      io.stderr(`${error.message}\n`)
      return { exitCode: 125 }
    }
  }
}

/** Positional words (with those after `--`) and flags by long name, every value in order. */
export interface DockerArgs {
  args: string[]
  flags: Map<string, string[]>
}

export interface DockerFlagOptions {
  /** The flags the twin does; any other flag of the table is refused with `hint`. */
  honoured: readonly string[]
  /** What the twin's command takes instead, one sentence. */
  hint: string
  /** pflag's SetInterspersed: false for commands whose positional words start another command line (exec). */
  interspersed?: boolean
}

/** pflag's reading, its errors in docker's words. */
function readFlags(
  command: string,
  argv: string[],
  flags: Record<string, FlagSpec>,
  interspersed: boolean,
): ParsedFlags {
  try {
    return parseFlags(argv, flags, undefined, { interspersed })
  } catch (error) {
    if (error instanceof FlagParseError) throw new DockerFlagError(error.message, command)
    throw error
  }
}

/**
 * Parses `argv` (the words after the command) over `flags`, with cobra's -h/--help added as cobra adds it. A flag
 * outside the table is a DockerFlagError; one of the table the twin does not honour is a NotEmulatedError naming it.
 */
export function parseDockerFlags(
  command: string,
  argv: string[],
  flags: Record<string, FlagSpec>,
  { honoured, hint, interspersed = true }: DockerFlagOptions,
): DockerArgs {
  const parsed = readFlags(command, argv, { ...flags, help: { short: 'h' } }, interspersed)
  const refused = [...parsed.flags.keys()].find((name) => !honoured.includes(name))
  if (refused !== undefined) throw new NotEmulatedError('docker', `${command} --${refused}`, hint)
  return { args: [...parsed.positional, ...(parsed.afterDash ?? [])], flags: parsed.flags }
}

/** The last value given to a flag (pflag's string flags keep the last), or undefined when it was not given. */
export const lastValue = (args: DockerArgs, name: string): string | undefined => args.flags.get(name)?.at(-1)

/**
 * The template of a listing (ps, images, network ls) as docker/cli's formatters choose it: a --format of one's own
 * wins over -q whichever comes first; none, '' or `table` is the default table, or the IDs alone with -q.
 */
export function listFormat(args: DockerArgs, defaultTable: string): string {
  const format = lastValue(args, 'format')
  if (format && format !== 'table') return format
  return args.flags.has('quiet') ? '{{.ID}}' : defaultTable
}
