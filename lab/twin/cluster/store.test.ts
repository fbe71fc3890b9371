import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Change, ObjectStore } from './store.ts'

const svc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'cni', namespace: 'default' },
  spec: { type: 'LoadBalancer' },
}

describe('ObjectStore', () => {
  it('fills server metadata, bumps resourceVersion only on real changes, and notifies', () => {
    const store = new ObjectStore(null)
    const changes: Change[] = []
    store.on('change', (c) => changes.push(c))
    const created = store.create(svc, Date.parse('2026-01-01T10:00:00.600Z'))
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.metadata.creationTimestamp).toBe('2026-01-01T10:00:00Z')
    expect(store.patch('Service', 'default', 'cni', (o) => void (o.spec.type = 'LoadBalancer'))).toBe(false)
    expect(store.patch('Service', 'default', 'cni', (o) => void (o.status = { loadBalancer: {} }))).toBe(true)
    expect(Number(store.get('Service', 'default', 'cni')!.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    )
    store.delete('Service', 'default', 'cni')
    expect(changes.map((c) => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED'])
    expect(() => store.update(svc)).toThrow(/not found/)
  })

  it('persists atomically to its file and a new store (a restarted daemon) reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-test-'))
    try {
      const file = join(dir, 'cluster', 'state.json')
      const store = new ObjectStore(file)
      store.setHelmRepo('cilium', 'https://helm.cilium.io')
      const created = store.create(svc)
      expect(readdirSync(join(dir, 'cluster'))).toEqual(['state.json'])
      const reopened = new ObjectStore(file)
      expect(reopened.get('Service', 'default', 'cni')).toEqual(created)
      expect(reopened.helmRepos).toEqual({ cilium: 'https://helm.cilium.io' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
