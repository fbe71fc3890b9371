import { EventEmitter } from 'node:events'
import type { ContainerInfo, TwinContext } from '../context.ts'

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

/** Registers a running kind node's container in `lab`, as `kind create cluster` does (the seed's node image). */
export function addKindNode(lab: TwinContext, name: string, createdAt = Date.now()): ContainerInfo {
  const info: ContainerInfo = {
    name,
    image: 'kindest/node:v1.23.4',
    ns: lab.ns(name),
    kind: 'kind-node',
    createdAt,
    labels: {},
  }
  lab.containers.set(name, info)
  return info
}
