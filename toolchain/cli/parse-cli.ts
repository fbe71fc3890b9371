/**
 * The command line of a start script: node's parseArgs, plus what a person expects of it. `--help` lists every option
 * with its default; an unknown option or a missing value is one line and the usage, exit 2 (never a stack trace).
 * A boolean that is on by default is turned off with `--no-<name>`.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'

export interface CliOption {
  type: 'string' | 'boolean'
  /** What the value is, in the usage (`<port>`); strings only. */
  value?: string
  default?: string | boolean | string[]
  multiple?: boolean
  short?: string
  description: string
}

type Values<T extends Record<string, CliOption>> = {
  [K in keyof T]: T[K]['type'] extends 'boolean'
    ? boolean
    : T[K]['multiple'] extends true
      ? string[]
      : T[K]['default'] extends string
        ? string
        : string | undefined
}

export interface Cli {
  /** `npm run learn --`, as a person types it. */
  command: string
  summary: string
  /** Lines after the options: examples, environment variables. */
  notes?: string[]
}

export function usage<T extends Record<string, CliOption>>(cli: Cli, options: T): string {
  const rows = Object.entries(options).map(([name, option]) => {
    const negated = option.type === 'boolean' && option.default === true
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${negated ? 'no-' : ''}${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`
    const shown =
      option.type === 'string' &&
      option.default !== undefined &&
      !(Array.isArray(option.default) && option.default.length === 0)
    const fallback = shown ? ` (default: ${String(option.default)})` : ''
    return [flag, `${option.description}${fallback}`] as const
  })
  rows.push(['-h, --help', 'show this help and exit'])
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2
  return [
    `Usage: ${cli.command} [options]`,
    '',
    cli.summary,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    ...(cli.notes ? ['', ...cli.notes] : []),
  ].join('\n')
}

/** The parsed options; exits 0 after printing the usage for `--help`, 2 with one line and the usage for a mistake. */
export function parseCli<T extends Record<string, CliOption>>(
  cli: Cli,
  options: T,
  args = process.argv.slice(2),
): Values<T> {
  const config: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } }
  for (const [name, option] of Object.entries(options)) {
    const { type, multiple, short, default: fallback } = option
    // parseArgs refuses keys present with an undefined value.
    config[name] = Object.fromEntries(
      Object.entries({ type, multiple, short, default: fallback }).filter(([, v]) => v !== undefined),
    ) as unknown as NonNullable<ParseArgsConfig['options']>[string]
  }
  let values: Record<string, unknown>
  try {
    ;({ values } = parseArgs({ args, options: config, allowPositionals: false, allowNegative: true, strict: true }))
  } catch (error) {
    // parseArgs explains the mistake in its first sentence; the rest is advice about `--` that does not apply here.
    console.error(
      `${cli.command}: ${(error as Error).message.split('. ')[0].replace(/\.$/, '')}\n\n${usage(cli, options)}`,
    )
    process.exit(2)
  }
  if (values.help) {
    console.log(usage(cli, options))
    process.exit(0)
  }
  delete values.help
  return values as Values<T>
}
