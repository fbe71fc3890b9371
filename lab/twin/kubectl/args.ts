/** kubectl's flags that take a value, by every spelling; everything else starting with '-' is a boolean. */
const valueFlags: Record<string, string> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-o': 'output',
  '--output': 'output',
  '-l': 'selector',
  '--selector': 'selector',
  '-f': 'filename',
  '--filename': 'filename',
  '-c': 'container',
  '--container': 'container',
  '--field-selector': 'field-selector',
  '--grace-period': 'grace-period',
  '--timeout': 'timeout',
  '--sort-by': 'sort-by',
  '--replicas': 'replicas',
}

const booleanFlags: Record<string, string> = {
  '-A': 'all-namespaces',
  '--all-namespaces': 'all-namespaces',
  '-i': 'stdin',
  '--stdin': 'stdin',
  '-t': 'tty',
  '--tty': 'tty',
  '--no-headers': 'no-headers',
  '--show-labels': 'show-labels',
  '--overwrite': 'overwrite',
  '--all': 'all',
  '--force': 'force',
  '--wait': 'wait',
  '-w': 'watch',
  '--watch': 'watch',
  '-q': 'quiet',
  '--short': 'short',
  '--client': 'client',
  '-h': 'help',
  '--help': 'help',
}

/** The parsed command line: positional words, flags by long name, and what followed `--`. */
export interface Args {
  positional: string[]
  flags: Map<string, string[]>
  afterDash: string[] | null
}

/** Stable error for a flag kubectl does not know, with kubectl's wording. */
export class FlagError extends Error {
  readonly code = 'TWIN_KUBECTL_FLAG'
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { positional: [], flags: new Map(), afterDash: null }
  const add = (name: string, value: string) => args.flags.set(name, [...(args.flags.get(name) ?? []), value])
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    if (word === '--') {
      args.afterDash = argv.slice(i + 1)
      break
    }
    if (!word.startsWith('-') || word === '-') {
      args.positional.push(word)
      continue
    }
    const eq = word.indexOf('=')
    const name = eq > 0 ? word.slice(0, eq) : word
    if (valueFlags[name]) {
      const value = eq > 0 ? word.slice(eq + 1) : argv[++i]
      if (value === undefined) throw new FlagError(`flag needs an argument: '${name.replace(/^-+/, '')}' in ${name}`)
      add(valueFlags[name], value)
    } else if (booleanFlags[name]) {
      add(booleanFlags[name], eq > 0 ? word.slice(eq + 1) : 'true')
    } else if (/^-[a-zA-Z]{2,}$/.test(word) && [...word.slice(1)].every(c => booleanFlags[`-${c}`])) {
      for (const c of word.slice(1)) add(booleanFlags[`-${c}`], 'true')
    } else if (/^-[nolfc]./.test(word)) {
      add(valueFlags[word.slice(0, 2)], word.slice(2))
    } else {
      throw new FlagError(`unknown ${word.startsWith('--') ? 'flag' : 'shorthand flag'}: ${word.startsWith('--') ? name : `'${word[1]}' in ${word}`}`)
    }
  }
  return args
}

export const flag = (args: Args, name: string) => args.flags.get(name)?.at(-1)
export const flagOn = (args: Args, name: string) => {
  const value = flag(args, name)
  return value !== undefined && value !== 'false'
}
