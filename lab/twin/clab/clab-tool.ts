import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { LabError } from '../../lab-error.ts'
import type { TwinContext } from '../context.ts'
import { commandName, NotEmulatedError, refuseIfReal, suggestions } from '../daemon/not-emulated.ts'
import type { ToolHandler, ToolIO, ToolResult } from '../daemon/tool.ts'
import { CLAB_COMMANDS, checkClabFlags, parseClabArgs, refuseCommandHelp } from './clab-commands.ts'
import { GRAPH_PORT, serveGraph } from './clab-graph.ts'
import { deploy, destroy, labDeployments, mgmtAddresses } from './deploy.ts'
import { formatNodeTable } from './node-table.ts'
import { parseTopology } from './topology.ts'

const USAGE =
  'containerlab\n\nUsage:\n  containerlab [command]\n\nThe twin lab supports: deploy, destroy, inspect, graph, save, version\n'

/**
 * `clab` / `containerlab`: deploy, destroy, inspect, graph and save a topology inside the twin. Logs go to stderr in logrus's text
 * format (`INFO[0001] message`), the node table to stdout, as containerlab 0.54 does.
 */
const VERSION = '0.54.2'

function logger(io: ToolIO, started: number) {
  return (level: 'DEBU' | 'INFO' | 'WARN' | 'ERRO', message: string) => {
    const seconds = String(Math.floor((Date.now() - started) / 1000)).padStart(4, '0')
    io.stderr(`${level}[${seconds}] ${message.padEnd(44)} \n`)
  }
}

function loadTopology(io: ToolIO, topo: string | undefined) {
  if (!topo) throw new LabError('TWIN_CLAB_USAGE', 'provide topology file path with --topo flag')
  const file = resolve(io.cwd, topo)
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    throw new LabError('TWIN_CLAB_TOPOLOGY', `topology file ${topo} not found: stat ${file}: no such file or directory`)
  }
  return parseTopology(source, file, topo)
}

function labContainers(lab: TwinContext, name?: string) {
  return [...lab.containers.values()].filter(
    (info) => info.labels.containerlab && (!name || info.labels.containerlab === name),
  )
}

/** Without -t, containerlab uses the one `*.clab.yml` (or .yaml) file of the current directory. */
function defaultTopology(io: ToolIO): string | undefined {
  const candidates = readdirSync(io.cwd).filter((file) => /\.clab\.ya?ml$/.test(file))
  return candidates.length === 1 ? candidates[0] : undefined
}

async function run(io: ToolIO, lab: TwinContext): Promise<number | ToolResult> {
  const args = parseClabArgs(io.argv)
  const { command, typed } = args
  const topic = command === 'help' ? args.positional[0] : undefined
  if (topic !== undefined) {
    const name = commandName(CLAB_COMMANDS, topic)
    refuseIfReal(CLAB_COMMANDS, name, `help ${topic}`)
    if (name !== 'help' && CLAB_COMMANDS.emulated.includes(name)) refuseCommandHelp(`help ${topic}`, name)
  }
  if (command === undefined || command === 'help') {
    io.stdout(USAGE)
    return 0
  }
  if (!CLAB_COMMANDS.emulated.includes(command)) {
    refuseIfReal(CLAB_COMMANDS, command, typed)
    io.stderr(
      `Error: unknown command "${typed}" for "containerlab"${suggestions(CLAB_COMMANDS, command)}\nRun 'containerlab --help' for usage.\n`,
    )
    return 1
  }
  if (args.flags.has('help')) refuseCommandHelp(`${typed} --help`, command)
  checkClabFlags(command, args)
  if (command === 'version' && args.positional[0] === 'upgrade')
    throw new NotEmulatedError(
      'containerlab',
      'version upgrade',
      `The twin's containerlab is ${VERSION}, the seed lab's.`,
    )
  const values = {
    topo: args.flags.get('topo') ?? (command === 'inspect' ? undefined : defaultTopology(io)),
    name: args.flags.get('name'),
    reconfigure: args.flags.has('reconfigure'),
    cleanup: args.flags.has('cleanup'),
    all: args.flags.has('all'),
  }
  const log = logger(io, Date.now())
  if (command === 'version') {
    io.stdout(`  version: ${VERSION}\n`)
    return 0
  }
  if (command === 'deploy') {
    log('INFO', `Containerlab v${VERSION} started`)
    log('INFO', `Parsing & checking topology file: ${values.topo ?? ''}`)
    const topology = loadTopology(io, values.topo)
    if (values.reconfigure) await destroy(lab, topology.name, { cleanup: true }, (m) => log('INFO', m))
    const created = await deploy(lab, topology, (message) =>
      log(message.includes('external dependency') ? 'WARN' : 'INFO', message),
    )
    io.stdout(formatNodeTable(created, mgmtAddresses(lab)))
    return 0
  }
  if (command === 'destroy') {
    log('INFO', `Parsing & checking topology file: ${values.topo ?? ''}`)
    const name = values.all ? undefined : (values.name ?? loadTopology(io, values.topo).name)
    const names = name ? [name] : [...labDeployments(lab).keys()]
    for (const each of names) await destroy(lab, each, { cleanup: Boolean(values.cleanup) }, (m) => log('INFO', m))
    return 0
  }
  if (command === 'inspect') {
    const name = values.all
      ? undefined
      : (values.name ?? (values.topo ? loadTopology(io, values.topo).name : undefined))
    const containers = labContainers(lab, name)
    if (containers.length === 0) {
      log('INFO', 'no containers found')
      return 0
    }
    io.stdout(formatNodeTable(containers, mgmtAddresses(lab)))
  }
  if (command === 'graph') {
    log('INFO', `Parsing & checking topology file: ${values.topo ?? ''}`)
    const topology = loadTopology(io, values.topo)
    const port = /(\d+)$/.exec(args.flags.get('srv') ?? '')?.[1] ?? String(GRAPH_PORT)
    log('INFO', `Serving topology graph on http://127.0.0.1:${port}`)
    return { execLocal: serveGraph(lab, topology, mgmtAddresses(lab), Number(port)) }
  }
  if (command === 'save') {
    // containerlab 0.54 saves per node kind; its `linux` nodes (the seed's VyOS routers) have no save, so it writes
    // nothing and says so at debug level only. A router's config is saved inside it: docker exec -it NODE bash, then
    // configure and save.
    log('INFO', `Parsing & checking topology file: ${values.topo ?? ''}`)
    const topology = loadTopology(io, values.topo)
    if (args.flags.has('debug'))
      for (const node of topology.nodes.values())
        log('DEBU', `Save operation is currently not supported for "${node.kind}" node kind`)
  }
  return 0
}

export const clabTool: ToolHandler = async (io, lab) => {
  try {
    const result = await run(io, lab)
    return typeof result === 'number' ? { exitCode: result } : result
  } catch (error) {
    // Learner mistakes read like containerlab's `Error: ...`, the twin's limits as such; the lab stays as it was.
    if (error instanceof NotEmulatedError) io.stderr(`${error.message}\n`)
    else if (error instanceof LabError) io.stderr(`Error: ${error.message}\n`)
    else throw error
    return { exitCode: 1 }
  }
}
