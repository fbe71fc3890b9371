import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { labDeployments } from '../clab/deploy.ts'
import type { TwinContext } from '../context.ts'
import { routerDir } from './frr-instance.ts'
import { parseVyosConfig, type VyosNode } from './vyos-config.ts'
import { printConfig } from './vyos-tree.ts'

/**
 * A router's three configs, as VyOS keeps them: the running one (what FRR runs: the boot config, then each commit),
 * a working copy per configuration session (`configure` until `commit` or `exit discard`), and the saved boot file
 * (`save`), which is the topology's bind of /opt/vyatta/etc/config/config.boot: the learner's
 * startup-conf/<router>-boot.cfg, as in the real lab where the container writes through its bind mount.
 */
export interface RouterFiles {
  dir: string
  running: string
  saved: string
  /** The working config of a session (the configuring shell's pid). */
  session(id: string): string
  /** The session's edit level (`edit protocols bgp 65005`): its words, empty at the top. */
  level(id: string): string
}

export function routerFiles(lab: TwinContext, container: string): RouterFiles {
  const dir = routerDir(lab, container)
  let saved = join(dir, 'config.boot')
  for (const deployment of labDeployments(lab).values()) {
    for (const node of deployment.topology.nodes.values())
      if (node.container === container && node.vyosConfig) saved = node.vyosConfig
  }
  return {
    dir,
    running: join(dir, 'running.boot'),
    saved,
    session: (id) => join(dir, 'sessions', `${id}.boot`),
    level: (id) => join(dir, 'sessions', `${id}.level`),
  }
}

/** The comment block after the last `}` (VyOS's version line), kept on every save as VyOS writes it. */
export function versionFooter(source: string): string {
  const end = source.lastIndexOf('\n}\n')
  const rest = end === -1 ? '' : source.slice(end + 3)
  return rest.trimStart().startsWith('/*') ? rest : ''
}

export function readTree(file: string): VyosNode[] {
  return existsSync(file) ? parseVyosConfig(readFileSync(file, 'utf8'), file) : []
}

/** A session's working config: its own copy once it changed something, else the running config. */
export function readWorking(files: RouterFiles, id: string): VyosNode[] {
  return readTree(existsSync(files.session(id)) ? files.session(id) : files.running)
}

export function writeWorking(files: RouterFiles, id: string, tree: VyosNode[]): void {
  mkdirSync(join(files.dir, 'sessions'), { recursive: true })
  writeFileSync(files.session(id), printConfig(tree))
}

export function dropWorking(files: RouterFiles, id: string): void {
  rmSync(files.session(id), { force: true })
}

/** Replaces the running config, keeping its version footer. */
export function writeRunning(files: RouterFiles, tree: VyosNode[]): void {
  const footer = versionFooter(readFileSync(files.running, 'utf8'))
  writeFileSync(files.running, printConfig(tree) + footer)
}

export function readLevel(files: RouterFiles, id: string): string[] {
  return existsSync(files.level(id)) ? readFileSync(files.level(id), 'utf8').split(' ').filter(Boolean) : []
}

export function writeLevel(files: RouterFiles, id: string, level: string[]): void {
  mkdirSync(join(files.dir, 'sessions'), { recursive: true })
  writeFileSync(files.level(id), level.join(' '))
}

/** Leaving configuration mode: the session's working config and level go. */
export function endSession(files: RouterFiles, id: string): void {
  dropWorking(files, id)
  rmSync(files.level(id), { force: true })
}
