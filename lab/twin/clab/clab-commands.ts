import { LabError } from '../../lab-error.ts'
import { type CommandTable, commandName, NotEmulatedError, refuseIfReal } from '../daemon/not-emulated.ts'
import { FlagParseError, type FlagSpec, parseFlags } from '../daemon/pflag.ts'

const ROUTERS =
  "See the course's router reference: docker exec clab-<lab>-<node> vtysh -c 'show running-config' shows a router's config."

/**
 * containerlab's commands: `containerlab --help` of 0.54 (srl-labs/containerlab cmd/*.go), plus `redeploy`, which
 * later releases added and their docs show.
 */
export const CLAB_COMMANDS: CommandTable = {
  tool: 'containerlab',
  emulated: ['deploy', 'destroy', 'inspect', 'graph', 'save', 'version', 'help'],
  notEmulated: {
    exec: 'Run a command on one node with docker exec clab-<lab>-<node> CMD.',
    config: ROUTERS,
    generate: "Write the topology file by hand (cilium.bgp.clab.yml is the course's).",
    tools: "The twin's links are veth pairs and bridges: docker exec NODE ip link shows them.",
    redeploy: 'Run clab destroy -t FILE, then clab deploy -t FILE (or clab deploy -c -t FILE).',
    completion: "The lab's shell does not complete containerlab commands.",
  },
  aliases: {
    dep: 'deploy',
    des: 'destroy',
    ins: 'inspect',
    i: 'inspect',
    gen: 'generate',
    g: 'graph',
    rdep: 'redeploy',
  },
}

/** containerlab 0.54's flags: the global ones of root.go and those of deploy, destroy, inspect and graph. */
const FLAGS: Record<string, FlagSpec> = {
  topo: { short: 't', value: true },
  name: { value: true },
  debug: { short: 'd' },
  'log-level': { value: true },
  runtime: { short: 'r', value: true },
  timeout: { value: true },
  vars: { value: true },
  help: { short: 'h' },
  reconfigure: {},
  cleanup: {},
  all: { short: 'a' },
  graph: { short: 'g' },
  network: { value: true },
  'ipv4-subnet': { short: '4', value: true },
  'ipv6-subnet': { short: '6', value: true },
  format: { short: 'f', value: true },
  'max-workers': { value: true },
  'skip-post-deploy': {},
  'skip-labdir-acl': {},
  'export-template': { value: true },
  'node-filter': { value: true },
  graceful: {},
  'keep-mgmt-net': {},
  details: {},
  wide: { short: 'w' },
  srv: { short: 's', value: true },
  offline: { short: 'o' },
  dot: {},
  mermaid: {},
  drawio: {},
  template: { value: true },
  'static-dir': { value: true },
}

/** What each command honours; `-c` is --reconfigure for deploy and --cleanup for destroy, as in containerlab. */
const HONOURED: Record<string, string[]> = {
  deploy: ['topo', 'reconfigure'],
  destroy: ['topo', 'name', 'cleanup', 'all'],
  inspect: ['topo', 'name', 'all'],
  graph: ['topo', 'srv', 'offline'],
  save: ['topo', 'name', 'debug'],
  version: [],
  help: [],
}
const SHORT_C: Record<string, string> = { deploy: 'reconfigure', destroy: 'cleanup' }

/** The command as typed (`dep`) and its name (`deploy`), and the rest, as cobra reads containerlab's argv. */
export interface ClabArgs {
  typed: string | undefined
  command: string | undefined
  positional: string[]
  flags: Map<string, string>
}

/**
 * Parses argv like cobra over containerlab's flags; an unknown one is containerlab's `unknown flag`. Twice: `-c`
 * means a flag of the command, known once the first pass has found it (both meanings are booleans, so the words
 * split the same way).
 */
export function parseClabArgs(argv: string[]): ClabArgs {
  const short = (command: string | undefined) => (letter: string) =>
    letter === 'c'
      ? (SHORT_C[command ?? ''] ?? 'reconfigure')
      : Object.keys(FLAGS).find((n) => FLAGS[n].short === letter)
  try {
    const typed = parseFlags(argv, FLAGS, short(undefined)).positional[0]
    const command = typed === undefined ? undefined : commandName(CLAB_COMMANDS, typed)
    const parsed = parseFlags(argv, FLAGS, short(command))
    const flags = new Map([...parsed.flags].map(([name, values]) => [name, values.at(-1)!]))
    return { typed, command, positional: parsed.positional.slice(1), flags }
  } catch (error) {
    if (!(error instanceof FlagParseError)) throw error
    // A flag of a command the twin does not have (exec --cmd): the command is the answer, not the flag.
    const word = argv.find((arg) => !arg.startsWith('-'))
    if (word !== undefined) refuseIfReal(CLAB_COMMANDS, word)
    throw new LabError('TWIN_CLAB_USAGE', error.message)
  }
}

/** Refuses the first flag `command` does not honour, by name. */
export function checkClabFlags(command: string, args: ClabArgs): void {
  const honoured = new Set(['help', ...(HONOURED[command] ?? [])])
  for (const name of args.flags.keys()) {
    if (honoured.has(name)) continue
    const takes = (HONOURED[command] ?? []).map((f) => `--${f}`).join(', ') || 'no flags'
    throw new NotEmulatedError(
      'containerlab',
      `${command} --${name}`,
      `The twin's containerlab ${command} takes ${takes}.`,
    )
  }
}

/**
 * The honest answer to `containerlab COMMAND --help` (or `containerlab help COMMAND`): the twin carries only its
 * commands' behaviour, not their help texts, and containerlab's top-level usage in their place would answer another
 * question. It names the command's page of containerlab's documentation.
 * @param what as the learner typed it, after `containerlab` (`graph --help`, `help g`)
 * @param command the command's name (`graph` for `g`)
 */
export function refuseCommandHelp(what: string, command: string): never {
  throw new NotEmulatedError(
    'containerlab',
    what,
    `containerlab's reference for ${command}: https://containerlab.dev/cmd/${command}/`,
  )
}
