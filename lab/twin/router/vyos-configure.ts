import { readFileSync, writeFileSync } from 'node:fs'
import { LabError } from '../../lab-error.ts'
import type { ContainerInfo, TwinContext } from '../context.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { bgpCommands } from './frr-commit.ts'
import { translateVyosConfig } from './frr-config.ts'
import {
  dropWorking,
  endSession,
  type RouterFiles,
  readLevel,
  readTree,
  readWorking,
  writeLevel,
  writeRunning,
  writeWorking,
} from './router-files.ts'
import type { VyosNode } from './vyos-config.ts'
import { deletePath, EDIT_HINT, type EditResult, editPath, levelUp, setPath } from './vyos-edit.ts'
import { compareTrees, printConfig, showWithMarkers } from './vyos-tree.ts'

/**
 * VyOS 1.2 configuration mode, one command at a time from the router shell's `configure` functions (router-shell.ts):
 * set/delete on the session's working config, show and compare against the running config, commit (applied to FRR
 * through vtysh, as VyOS's commit does), save to the boot file, discard and exit. Messages are VyOS's own (its
 * documentation's "Configuration Overview" and vyatta-cfg).
 */

/** Configuration-mode commands of VyOS 1.2 the twin does not do (they still answer, as functions of the shell). */
export const CONFIG_NOT_EMULATED = new Set([
  'load',
  'merge',
  'rollback',
  'copy',
  'rename',
  'comment',
  'activate',
  'deactivate',
  'confirm',
  'commit-confirm',
])

const same = (a: VyosNode[], b: VyosNode[]) => printConfig(a) === printConfig(b)

/**
 * The subtree at `path` (tag nodes take two words, other nodes one), or undefined; a leaf's own line when the path
 * names a leaf (`show ... neighbor 10.1.10.2 remote-as` shows ` remote-as 500`).
 */
function subtree(nodes: VyosNode[], path: string[]): VyosNode[] | undefined {
  let current = nodes
  for (let i = 0; i < path.length; ) {
    const leaf = current.find((node) => !node.children && node.words[0] === path[i])
    if (leaf && i === path.length - 1) return [leaf]
    const tag = current.find(
      (node) => node.children && node.words.length === 2 && node.words[0] === path[i] && node.words[1] === path[i + 1],
    )
    const plain = tag ?? current.find((node) => node.children && node.words.length === 1 && node.words[0] === path[i])
    if (!plain?.children) return undefined
    current = plain.children
    i += tag ? 2 : 1
  }
  return current
}

async function commit(
  io: ToolIO,
  lab: TwinContext,
  info: ContainerInfo,
  files: RouterFiles,
  id: string,
): Promise<number> {
  const running = readTree(files.running)
  const working = readWorking(files, id)
  if (same(running, working)) {
    io.stdout('No configuration changes to commit\n')
    return 0
  }
  let commands: string[]
  try {
    const before = translateVyosConfig(printConfig(running), 'running configuration')
    const after = translateVyosConfig(printConfig(working), 'working configuration')
    commands = bgpCommands(before.bgp, after.bgp)
  } catch (error) {
    if (!(error instanceof LabError)) throw error
    io.stdout(`\n  ${error.message.replace(/^[^:]+:\d+: /, '')}\n\n  Commit failed\n`)
    return 1
  }
  if (commands.length) {
    // The machine's vtysh on the router's instance dir, from the lab's side (its socket is there too).
    const result = await lab.run(
      [
        'vtysh',
        '--config_dir',
        files.dir,
        '--vty_socket',
        files.dir,
        ...commands.flatMap((command) => ['-c', command]),
      ],
      { ns: info.ns },
    )
    if (result.exitCode !== 0 || /^%/m.test(result.stdout)) {
      io.stdout(`${result.stdout}${result.stderr}\n  Commit failed\n`)
      return 1
    }
  }
  writeRunning(files, working)
  dropWorking(files, id)
  return 0
}

function save(io: ToolIO, files: RouterFiles, id: string, args: string[]): number {
  if (args.length)
    throw new NotEmulatedError(
      'vyos',
      `save ${args.join(' ')}`,
      "The twin saves to the router's boot config only: save (then startup-conf/<router>-boot.cfg holds it).",
    )
  const running = readTree(files.running)
  if (!same(running, readWorking(files, id)))
    io.stdout('Warning: you have uncommitted changes that will not be saved.\n')
  // In place, as through the real lab's bind mount: the learner's startup-conf file is the saved config.
  writeFileSync(files.saved, readFileSync(files.running, 'utf8'))
  io.stdout("Saving configuration to '/config/config.boot'...\nDone\n")
  return 0
}

/** `<verb> args` of the configuring session `id`; returns the exit code. */
export async function configCommand(
  io: ToolIO,
  lab: TwinContext,
  info: ContainerInfo,
  files: RouterFiles,
  id: string,
  verb: string,
  args: string[],
): Promise<number> {
  if (CONFIG_NOT_EMULATED.has(verb)) throw new NotEmulatedError('vyos', [verb, ...args].join(' '), EDIT_HINT)
  switch (verb) {
    case 'begin':
      // A session id is a shell's pid: a dead shell's leftovers must not show up as changes or as its level.
      dropWorking(files, id)
      writeLevel(files, id, [])
      return 0
    case 'set':
    case 'delete':
    case 'edit': {
      const working = readWorking(files, id)
      const level = readLevel(files, id)
      const result: EditResult & { level?: string[] } =
        verb === 'set'
          ? setPath(working, args, level)
          : verb === 'delete'
            ? deletePath(working, args, level)
            : editPath(working, args, level)
      io.stdout(result.output)
      if (result.error) io.stderr(result.error)
      if (result.ok) writeWorking(files, id, working)
      if (result.level) writeLevel(files, id, result.level)
      return result.ok ? 0 : 1
    }
    // The level the shell shows in its `[edit ...]` line (router-shell.ts asks after edit, up, top and exit).
    case 'level':
      io.stdout(readLevel(files, id).join(' '))
      return 0
    case 'up':
    case 'top': {
      // vyatta-cfg-run `top` and cstore.cpp getEditUpEnv: both say so at the top; `up` then fails, `top` does not.
      const level = readLevel(files, id)
      const next = verb === 'up' ? levelUp(level) : level.length ? [] : undefined
      if (!next) {
        io.stdout('Already at the top level\n')
        return verb === 'up' ? 1 : 0
      }
      writeLevel(files, id, next)
      return 0
    }
    case 'show': {
      const path = [...readLevel(files, id), ...args]
      const running = subtree(readTree(files.running), path)
      const working = subtree(readWorking(files, id), path)
      if (!running?.length && !working?.length) io.stdout('Configuration under specified path is empty\n')
      else
        io.stdout(
          showWithMarkers(running ?? [], working ?? [])
            .map((line) => `${line}\n`)
            .join(''),
        )
      return 0
    }
    case 'compare': {
      if (args.length)
        throw new NotEmulatedError(
          'vyos',
          `compare ${args.join(' ')}`,
          'The twin keeps no commit revisions: compare shows the working against the running config.',
        )
      const lines = compareTrees(readTree(files.running), readWorking(files, id))
      io.stdout(
        lines.length
          ? lines.map((line) => `${line}\n`).join('')
          : 'No changes between working and active configurations.\n',
      )
      return 0
    }
    case 'commit':
      return commit(io, lab, info, files, id)
    case 'save':
      return save(io, files, id, args)
    case 'discard': {
      const changed = !same(readTree(files.running), readWorking(files, id))
      dropWorking(files, id)
      io.stdout(changed ? '  Changes have been discarded\n' : '  No changes have been discarded\n')
      return 0
    }
    case 'exit': {
      // vyatta-cfg-run `vyatta_config_exit`: below the top, exit (or exit discard) goes back to the top level only.
      const discard = args.length === 1 && args[0] !== '' && 'discard'.startsWith(args[0])
      if (args.length && !discard) {
        io.stdout(`Invalid argument "${args.join(' ')}" for 'exit'\n`)
        return 1
      }
      if (readLevel(files, id).length) {
        writeLevel(files, id, [])
        return 0
      }
      if (discard) {
        endSession(files, id)
        return 0
      }
      const running = readTree(files.running)
      if (!same(running, readWorking(files, id))) {
        io.stdout("Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.\n")
        return 1
      }
      if (!same(running, readTree(files.saved))) io.stdout('Warning: configuration changes have not been saved.\n')
      endSession(files, id)
      return 0
    }
    default:
      io.stdout(`\n  Invalid command: [${verb}]\n\n`)
      return 1
  }
}
