import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** The metadata every stored object carries, as the API server sets it. */
export interface ObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  uid?: string
  creationTimestamp?: string
  resourceVersion?: string
  ownerReferences?: { kind: string; name: string; uid: string }[]
  [key: string]: unknown
}

/** A Kubernetes-like object: loosely typed spec and status, like unstructured.Unstructured. */
export interface KObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec?: any
  status?: any
  [key: string]: any
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED'
export interface Change {
  type: ChangeType
  object: KObject
}

/** Lab-wide facts that are not API objects: the kind cluster, helm repositories and releases. */
export interface ClusterRecord {
  name: string
  podSubnet: string
  serviceSubnet: string
  disableDefaultCNI: boolean
  createdAt: number
  /** Node names in creation order with what kind's config said about them. */
  nodes: { name: string; role: 'control-plane' | 'worker'; nodeIP?: string; labels: Record<string, string> }[]
}

export interface StoreState {
  cluster: ClusterRecord | null
  helmRepos: Record<string, string>
  objects: KObject[]
  resourceVersion: number
}

const emptyState = (): StoreState => ({ cluster: null, helmRepos: {}, objects: [], resourceVersion: 1 })

const keyOf = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`

/**
 * The lab's API server storage: objects keyed by kind, namespace and name, written to one JSON file after every
 * change (write to a temp file, then rename, so a crash never leaves half a file), and a 'change' event per write
 * so controllers reconcile like informers do.
 */
export class ObjectStore extends EventEmitter {
  private objects = new Map<string, KObject>()
  private state: StoreState
  /** An Event changed since the file was last written (see persistSoon). */
  private persistPending = false

  /** @param file where the state is persisted; null keeps it in memory (unit tests). */
  constructor(private readonly file: string | null) {
    super()
    this.state = emptyState()
    if (file) {
      try {
        this.state = { ...emptyState(), ...JSON.parse(readFileSync(file, 'utf8')) }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    for (const object of this.state.objects)
      this.objects.set(keyOf(object.kind, object.metadata.namespace, object.metadata.name), object)
  }

  get cluster(): ClusterRecord | null {
    return this.state.cluster
  }

  /** The store's current revision, as a list's metadata.resourceVersion names it (etcd's revision). */
  get resourceVersion(): string {
    return String(this.state.resourceVersion)
  }

  setCluster(cluster: ClusterRecord | null): void {
    this.state.cluster = cluster
    if (!cluster) this.objects.clear()
    this.persist()
    this.emit('cluster')
  }

  get helmRepos(): Record<string, string> {
    return this.state.helmRepos
  }

  setHelmRepo(name: string, url: string): void {
    this.state.helmRepos[name] = url
    this.persist()
  }

  list(kind: string, namespace?: string): KObject[] {
    const found: KObject[] = []
    for (const object of this.objects.values()) {
      if (object.kind === kind && (namespace === undefined || object.metadata.namespace === namespace))
        found.push(object)
    }
    return found.sort(
      (a, b) =>
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    )
  }

  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.objects.get(keyOf(kind, namespace, name))
  }

  /** Stores a new object, filling uid, creationTimestamp and resourceVersion like the API server. */
  create(object: KObject, now = Date.now()): KObject {
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name)
    if (this.objects.has(key)) throw new Error(`${object.kind} ${object.metadata.name} already exists`)
    const stored: KObject = structuredClone(object)
    stored.metadata.uid = randomUUID()
    stored.metadata.creationTimestamp = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z')
    stored.metadata.resourceVersion = String(++this.state.resourceVersion)
    this.objects.set(key, stored)
    this.changed({ type: 'ADDED', object: stored })
    return stored
  }

  /** Replaces an existing object; returns false (and stores nothing) when nothing changed. */
  update(object: KObject): boolean {
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name)
    const current = this.objects.get(key)
    if (!current) throw new Error(`${object.kind} ${object.metadata.name} not found`)
    const next: KObject = structuredClone(object)
    next.metadata.uid = current.metadata.uid
    next.metadata.creationTimestamp = current.metadata.creationTimestamp
    next.metadata.resourceVersion = current.metadata.resourceVersion
    if (JSON.stringify(next) === JSON.stringify(current)) return false
    next.metadata.resourceVersion = String(++this.state.resourceVersion)
    this.objects.set(key, next)
    this.changed({ type: 'MODIFIED', object: next })
    return true
  }

  /** Applies `mutate` to a copy of the stored object and stores the result if it differs. */
  patch(kind: string, namespace: string | undefined, name: string, mutate: (object: KObject) => void): boolean {
    const current = this.get(kind, namespace, name)
    if (!current) return false
    const copy = structuredClone(current)
    mutate(copy)
    return this.update(copy)
  }

  delete(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    const key = keyOf(kind, namespace, name)
    const current = this.objects.get(key)
    if (!current) return undefined
    this.objects.delete(key)
    this.changed({ type: 'DELETED', object: current })
    return current
  }

  private changed(change: Change): void {
    // Events come in bursts (a node's registration, a pod's start) and matter least after a crash: they are written
    // with the next change, or at the end of the current turn, rather than each one rewriting the whole file.
    if (change.object.kind === 'Event') this.persistSoon()
    else this.persist()
    this.emit('change', change)
  }

  private persistSoon(): void {
    if (this.persistPending || !this.file) return
    this.persistPending = true
    setImmediate(() => {
      if (this.persistPending) this.persist()
    })
  }

  private persist(): void {
    this.persistPending = false
    if (!this.file) return
    this.state.objects = [...this.objects.values()]
    mkdirSync(dirname(this.file), { recursive: true })
    const temp = `${this.file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(this.state))
    renameSync(temp, this.file)
  }
}
