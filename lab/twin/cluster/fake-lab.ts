import { EventEmitter } from 'node:events'
import type { TwinContext } from '../context.ts'

/**
 * A lab with no namespaces behind it, for unit tests of the cluster side: commands succeed with no output (tests
 * replace `run` to see them), daemons cannot start.
 */
export function fakeLab(runDir: string): TwinContext {
  return {
    id: 'tk',
    runDir,
    workspace: runDir,
    ns: (device) => `tk-${device}`,
    addNamespace: async () => {},
    deleteNamespace: async () => {},
    run: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    startDaemon: async () => {
      throw new Error('no daemons in unit tests')
    },
    containers: new Map(),
    events: new EventEmitter(),
  }
}
