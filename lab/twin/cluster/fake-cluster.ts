import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import type { TwinContext } from '../context.ts'
import type { ToolHandler } from '../daemon/tool.ts'
import { callTool, type ToolOutcome } from '../daemon/call-tool.ts'
import { Cluster, registerCluster, unregisterCluster } from './cluster.ts'
import { fakeLab } from './fake-lab.ts'

/** A fresh fake lab with a registered cluster for each test (see useFakeCluster). */
export interface FakeCluster {
  readonly dir: string
  readonly lab: TwinContext
  readonly cluster: Cluster
  /** Calls a tool handler as the shim would, in the test's dir; exitCode is -1 when the result is an execLocal. */
  call(tool: ToolHandler, argv: string[], stdin?: string | null, tty?: boolean): Promise<ToolOutcome>
}

/**
 * Registers beforeEach/afterEach hooks that give every test its own temp dir, fake lab and registered cluster (no
 * controllers), and remove them after the test, failed or not.
 */
export function useFakeCluster(prefix: string): FakeCluster {
  let state: { dir: string; lab: TwinContext; cluster: Cluster } | undefined
  const current = () => {
    if (!state) throw new Error('useFakeCluster: used outside a test')
    return state
  }
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    const lab = fakeLab(dir)
    const cluster = new Cluster(lab, [])
    registerCluster(cluster)
    state = { dir, lab, cluster }
  })
  afterEach(async () => {
    const { dir, cluster } = current()
    state = undefined
    try {
      await cluster.stop()
    } finally {
      unregisterCluster(cluster)
      rmSync(dir, { recursive: true, force: true })
    }
  })
  return {
    get dir() {
      return current().dir
    },
    get lab() {
      return current().lab
    },
    get cluster() {
      return current().cluster
    },
    call(tool, argv, stdin = null, tty = false) {
      const { dir, lab } = current()
      return callTool(tool, lab, argv, { cwd: dir, stdin, tty })
    },
  }
}
