import type { Cluster } from '../cluster/cluster.ts'
import type { KObject } from '../cluster/store.ts'

/** One revision of a release, as helm 3 stores it (pkg/release: name, namespace, version, info, chart, config). */
export interface Release {
  name: string
  namespace: string
  chart: string
  version: string
  appVersion: string
  revision: number
  updated: string
  status: 'deployed' | 'superseded'
  /** helm's Info.Description: `Install complete`, `Upgrade complete`. */
  description: string
  /** The user-supplied values (helm's Config). */
  values: Record<string, unknown>
  objects: { kind: string; namespace?: string; name: string }[]
}

/** helm 3 keeps each revision in a Secret of type helm.sh/release.v1 in the release's namespace; so does the lab. */
const secretName = (r: Pick<Release, 'name' | 'revision'>) => `sh.helm.release.v1.${r.name}.v${r.revision}`

const releaseSecret = (r: Release): KObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'helm.sh/release.v1',
  metadata: {
    name: secretName(r),
    namespace: r.namespace,
    labels: { name: r.name, owner: 'helm', status: r.status, version: String(r.revision) },
  },
  data: { release: Buffer.from(JSON.stringify(r)).toString('base64') },
})

/** Every revision of every release, oldest first within a release. */
export const allRevisions = (cluster: Cluster): Release[] =>
  cluster.store
    .list('Secret')
    .filter((s) => s.type === 'helm.sh/release.v1')
    .map((s) => JSON.parse(Buffer.from(s.data.release, 'base64').toString()) as Release)
    .sort((a, b) => a.name.localeCompare(b.name) || a.revision - b.revision)

/** The revisions of release `name` in `namespace`, oldest first (helm scopes releases by namespace). */
export const history = (cluster: Cluster, namespace: string, name: string): Release[] =>
  allRevisions(cluster).filter((r) => r.name === name && r.namespace === namespace)

/** The current revision of each release: what `helm list` shows. */
export const currentReleases = (cluster: Cluster): Release[] =>
  allRevisions(cluster).filter((r, i, all) => all[i + 1]?.name !== r.name || all[i + 1]?.namespace !== r.namespace)

export const current = (cluster: Cluster, namespace: string, name: string): Release | undefined =>
  history(cluster, namespace, name).at(-1)

export function saveRelease(cluster: Cluster, release: Release): void {
  const secret = releaseSecret(release)
  if (cluster.store.get('Secret', release.namespace, secret.metadata.name)) cluster.store.update(secret)
  else cluster.store.create(secret)
}

/** Removes every revision of a release (helm uninstall without --keep-history). */
export function forgetRelease(cluster: Cluster, release: Pick<Release, 'name' | 'namespace'>): void {
  for (const revision of history(cluster, release.namespace, release.name))
    cluster.store.delete('Secret', revision.namespace, secretName(revision))
}

/** Go's time.ANSIC (`Mon Jan _2 15:04:05 2006`) in UTC, as helm prints LAST DEPLOYED and history's UPDATED. */
export function ansic(iso: string): string {
  const d = new Date(iso)
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const two = (n: number) => String(n).padStart(2, '0')
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`
}
