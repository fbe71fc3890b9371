import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Cluster, type Controller } from './cluster.ts'
import { fakeLab } from './fake-lab.ts'

let dir: string
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'cluster-test-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cni', namespace: 'default' }, spec: {} }

describe('Cluster reconcile loop', () => {
  it('runs controllers until a pass changes nothing, so settle() means caught up', async () => {
    const seen: string[] = []
    const copier: Controller = {
      name: 'copier',
      async reconcile(c) {
        const o = c.store.get('Service', 'default', 'cni')
        seen.push(o?.spec.step ?? 'none')
        if (o && (o.spec.step ?? 0) < 3)
          c.store.patch('Service', 'default', 'cni', (x) => void (x.spec.step = (x.spec.step ?? 0) + 1))
      },
    }
    const cluster = new Cluster(fakeLab(dir), [copier])
    cluster.store.create(svc)
    await cluster.settle()
    expect(cluster.store.get('Service', 'default', 'cni')!.spec.step).toBe(3)
    await cluster.stop()
  })

  it('does not spin on controllers that fight, and logs and retries a failing one', async () => {
    let passes = 0
    const fight: Controller = {
      name: 'fight',
      async reconcile(c) {
        passes++
        c.store.patch('Service', 'default', 'cni', (x) => void (x.spec.owner = x.spec.owner === 'a' ? 'b' : 'a'))
      },
    }
    let calls = 0
    const flaky: Controller = {
      name: 'flaky',
      async reconcile() {
        if (++calls === 1) throw new Error('nft refused the ruleset')
      },
    }
    const cluster = new Cluster(fakeLab(dir), [fight, flaky])
    cluster.store.create(svc)
    await cluster.settle()
    expect(passes).toBeLessThanOrEqual(30)
    expect(readFileSync(join(dir, 'cluster.log'), 'utf8')).toContain('flaky: Error: nft refused the ruleset')
    await cluster.stop()
  })
})
