import { rmdir, symlink } from 'node:fs/promises'
import type { Server } from 'node:net'
import { copyWorkspace } from '../../copy-workspace.ts'
import { createTwinContext, type LabContext } from '../context.ts'
import { labHostPaths, writeLabHostRc } from './lab-host.ts'
import { serveTools } from './server.ts'
import { writeShims } from './shims.ts'
import { LAB_TOOLS } from './tools.ts'

export interface OpenLabOptions {
  /** Parent of the run dir. [stateRoot='/run/bgplab'] */
  stateRoot?: string
  /** Folder copied into the lab's workspace. [workspaceSource=<repo>/workspace] */
  workspaceSource?: string
  /**
   * A folder that outlives the lab for the learner's files (edited configs survive a restart): `~/lab` links to it
   * and only missing course files are copied in. Default: a folder inside the run dir, removed with the lab.
   */
  keepWorkspace?: string
  log?: (line: string) => void
}

export interface OpenLab {
  lab: LabContext
  hostNs: string
  server: Server
  /** Stops the cluster side and the socket, then tears the lab down. */
  close(): Promise<void>
}

/**
 * Everything the twin daemon does to make a lab usable, owned by the calling process: the context, the lab host
 * namespace, the workspace, the tool shims and the socket serving them, and the cluster side's controllers.
 */
export async function openLab(options: OpenLabOptions = {}): Promise<OpenLab> {
  const log = options.log ?? (() => undefined)
  const lab = createTwinContext({ stateRoot: options.stateRoot })
  try {
    const paths = labHostPaths(lab.runDir)
    if (options.keepWorkspace) {
      await copyWorkspace(options.keepWorkspace, options.workspaceSource)
      await rmdir(lab.workspace) // the fresh, empty one the context made
      await symlink(options.keepWorkspace, lab.workspace)
    } else await copyWorkspace(lab.workspace, options.workspaceSource)
    await lab.addNamespace(lab.ns('host'))
    const { tools, startCluster } = LAB_TOOLS
    writeShims(paths.bin, paths.socket, Object.keys(tools))
    writeLabHostRc(paths)
    const server = await serveTools(paths.socket, tools, lab, log)
    const cluster = startCluster(lab)
    lab.onTeardown(async () => {
      server.close()
      await cluster.stop()
    })
    return { lab, hostNs: lab.ns('host'), server, close: () => lab.teardown() }
  } catch (error) {
    await lab.teardown()
    throw error
  }
}
