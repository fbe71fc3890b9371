import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import type { TwinContext } from '../context.ts'
import { callTool, type ToolOutcome } from '../daemon/call-tool.ts'
import type { ToolHandler } from '../daemon/tool.ts'
import { bootstrapObjects } from './bootstrap.ts'
import { Cluster, registerCluster, unregisterCluster } from './cluster.ts'
import { ciliumCrds } from './crds.ts'
import { fakeLab } from './fake-lab.ts'
import type { ClusterRecord } from './store.ts'

/** A fresh fake lab with a registered cluster for each test (see useFakeCluster). */
export interface FakeCluster {
  readonly dir: string
  readonly lab: TwinContext
  readonly cluster: Cluster
  /** Calls a tool handler as the shim would, in the test's dir; exitCode is -1 when the result is an execLocal. */
  call(tool: ToolHandler, argv: string[], stdin?: string | null, tty?: boolean): Promise<ToolOutcome>
  /**
   * The store as `kind create cluster` leaves it: the cluster record (the seed's subnets; one control-plane node
   * unless `nodes` says otherwise) and, unless `bare`, the bootstrap objects, with Cilium's CRDs when `cilium`.
   */
  createKindCluster(options?: KindClusterOptions): ClusterRecord
}

export interface KindClusterOptions {
  /** @default 'clab-bgp' */
  name?: string
  /** @default one `<name>-control-plane` with no labels */
  nodes?: ClusterRecord['nodes']
  /** Cilium 1.13's CRDs with the BGP control plane. @default false */
  cilium?: boolean
  /** Only the record, no objects. @default false */
  bare?: boolean
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
    createKindCluster({ name = 'clab-bgp', nodes, cilium = false, bare = false } = {}) {
      const { store } = current().cluster
      const record: ClusterRecord = {
        name,
        podSubnet: '10.98.0.0/16',
        serviceSubnet: '10.96.0.0/16',
        disableDefaultCNI: true,
        createdAt: 0,
        nodes: nodes ?? [{ name: `${name}-control-plane`, role: 'control-plane', labels: {} }],
      }
      store.setCluster(record)
      if (!bare) for (const o of [...bootstrapObjects(record), ...(cilium ? ciliumCrds(true) : [])]) store.create(o)
      return record
    },
  }
}
