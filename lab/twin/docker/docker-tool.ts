import type { TwinContext } from '../context.ts'
import type { ToolHandler, ToolIO } from '../daemon/tool.ts'
import { containerId } from './container-id.ts'
import { dockerExec } from './docker-exec.ts'
import { dockerPs } from './docker-ps.ts'
import { renderTemplate } from './go-template.ts'

/**
 * `docker` on the lab host, over the twin's containers (kind nodes, routers, namespace-sharing nodes): ps, exec,
 * inspect; cp is refused with the reason.
 */

/** `docker inspect [-f TEMPLATE] NAME...`: the fields scripts read (state, pid, image, labels). */
async function dockerInspect(io: ToolIO, lab: TwinContext): Promise<number> {
  let format: string | undefined
  const names: string[] = []
  for (let i = 1; i < io.argv.length; i++) {
    const arg = io.argv[i]
    if (arg === '-f' || arg === '--format') format = io.argv[++i]
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length)
    else names.push(arg)
  }
  const found: Array<Record<string, unknown>> = []
  let exitCode = 0
  for (const name of names) {
    const info = lab.containers.get(name)
    if (!info) {
      io.stderr(`Error: No such object: ${name}\n`)
      exitCode = 1
      continue
    }
    const pids = await lab.run(['ip', 'netns', 'pids', info.ns])
    const pid = Number(pids.stdout.split('\n')[0]) || 0
    found.push({
      Id: containerId(info),
      Created: new Date(info.createdAt).toISOString(),
      Name: `/${info.name}`,
      State: { Status: 'running', Running: true, Pid: pid },
      Config: { Hostname: info.labels['clab-node-name'] ?? info.name, Image: info.image, Labels: info.labels },
      NetworkSettings: { SandboxKey: `/run/netns/${info.ns}` },
    })
  }
  if (format !== undefined) io.stdout(found.map((data) => renderTemplate(format, data) + '\n').join(''))
  else io.stdout(JSON.stringify(found, null, 4) + '\n')
  return exitCode
}

export const dockerTool: ToolHandler = async (io, lab) => {
  const [command] = io.argv
  switch (command) {
    case 'ps':
      return { exitCode: dockerPs(io, lab) }
    case 'exec':
      return dockerExec(io, lab)
    case 'inspect':
      return { exitCode: await dockerInspect(io, lab) }
    case 'cp':
      io.stderr(
        'docker cp: the twin lab\'s containers share this machine\'s filesystem (only their network is separate), ' +
          'so there is nothing to copy: use the file at the same path, or cp it on the lab host.\n',
      )
      return { exitCode: 1 }
    case undefined:
      io.stderr('Usage:  docker [OPTIONS] COMMAND\n\nThe twin lab supports: ps, exec, inspect\n')
      return { exitCode: 1 }
    default:
      io.stderr(`docker: '${command}' is not a docker command.\nSee 'docker --help'\n`)
      return { exitCode: 1 }
  }
}
