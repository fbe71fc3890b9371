import { type Args, flag } from './args.ts'
import { KubectlError, type Out } from './kubectl-error.ts'

/** `--dry-run`: none (do it), client (print only), server (the API server checks it, stores nothing). */
export type DryRun = 'none' | 'client' | 'server'

/** A klog warning line as kubectl prints it on stderr (`W0102 15:04:05.000000   1234 helpers.go:598] ...`). */
function klogWarning(out: Out, message: string): void {
  const now = new Date()
  const two = (n: number) => String(n).padStart(2, '0')
  const time = `${two(now.getMonth() + 1)}${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds() * 1000).padStart(6, '0')}`
  out.stderr(`W${time}   ${String(process.pid).padStart(5)} helpers.go:598] ${message}\n`)
}

/** The strategy `--dry-run[=...]` asks for, as cmdutil.GetDryRunStrategy (1.23) reads it, deprecated spellings included. */
export function dryRunOf(args: Args, out: Out): DryRun {
  const value = flag(args, 'dry-run')
  if (value === undefined || value === 'none' || value === 'client' || value === 'server') return value ?? 'none'
  if (value === 'unchanged') {
    klogWarning(out, '--dry-run is deprecated and can be replaced with --dry-run=client.')
    return 'client'
  }
  if (/^(1|t|T|TRUE|true|True)$/.test(value)) {
    klogWarning(out, '--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.')
    return 'client'
  }
  if (/^(0|f|F|FALSE|false|False)$/.test(value)) {
    klogWarning(out, '--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.')
    return 'none'
  }
  throw new KubectlError(`error: Invalid dry-run value (${value}). Must be "none", "server", or "client".`)
}

/** What kubectl appends to `created`, `deleted`, `labeled`...: ` (dry run)`, ` (server dry run)`. */
export const dryRunSuffix = (dryRun: DryRun) =>
  dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
