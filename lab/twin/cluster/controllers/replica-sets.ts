import { recordEvent, targetOf } from '../events.ts'
import { templateHash } from '../names.ts'
import { matches } from '../selector.ts'
import type { KObject, ObjectStore } from '../store.ts'
import { controllerRef, newPod, ownedBy, podEvent } from './owned-pods.ts'
import { isPodReady } from './pod-status.ts'

/** The pod template annotation `kubectl rollout restart` sets: a new template, so the controllers roll new pods. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt'

/**
 * The pod-template-hash of a deployment's current template. System deployments pin the one the real manifests give,
 * for their template as installed: a restart (`kubectl.kubernetes.io/restartedAt`) makes another template, whose
 * hash is computed as for any other.
 */
export const podTemplateHash = (deploy: KObject): string => {
  const pinned = deploy.metadata.annotations?.['lab.twin/pod-template-hash']
  return pinned && !deploy.spec.template.metadata?.annotations?.[RESTARTED_AT]
    ? pinned
    : templateHash(deploy.spec.template)
}

const REVISION = 'deployment.kubernetes.io/revision'

/** maxSurge of a RollingUpdate deployment as a count (25% of 4 is 1, rounded up as the controller rounds surge). */
function maxSurge(deploy: KObject, replicas: number): number {
  const surge = deploy.spec.strategy?.rollingUpdate?.maxSurge ?? '25%'
  return typeof surge === 'number' ? surge : Math.ceil((replicas * parseInt(surge, 10)) / 100)
}

/** A condition that keeps its transition time while its status stays the same, as the controllers keep it. */
export function condition(
  previous: any[] | undefined,
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
  withUpdateTime = true,
) {
  const before = (previous ?? []).find((c) => c.type === type)
  const same = before?.status === status
  const kept = same && before.reason === reason && before.message === message
  return {
    ...(withUpdateTime ? { lastUpdateTime: kept ? before.lastUpdateTime : now } : {}),
    lastTransitionTime: same ? before.lastTransitionTime : now,
    message,
    reason,
    status,
    type,
  }
}

const nowText = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z')

/** The ReplicaSet the deployment controller makes for the current template: `<deploy>-<pod-template-hash>`. */
function replicaSetFor(deploy: KObject, hash: string, replicas: number, revision: number): KObject {
  const template = structuredClone(deploy.spec.template)
  template.metadata = {
    ...template.metadata,
    labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deploy.metadata.name}-${hash}`,
      namespace: deploy.metadata.namespace,
      labels: template.metadata.labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge(deploy, replicas)),
        [REVISION]: String(revision),
      },
      ownerReferences: [controllerRef(deploy)],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...(deploy.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
      template,
    },
  }
}

/**
 * The deployment controller: the current template's ReplicaSet gets every replica, older ones are scaled to 0 and
 * kept (revision history), all at once since the twin's pods start together. Status and conditions as 1.23 sets them.
 */
export function reconcileDeployment(store: ObjectStore, deploy: KObject): void {
  const ns = deploy.metadata.namespace
  const hash = podTemplateHash(deploy)
  const replicas = deploy.spec.replicas ?? 1
  const owned = store.list('ReplicaSet', ns).filter((rs) => ownedBy(rs, deploy))
  const name = `${deploy.metadata.name}-${hash}`
  const scale = (rs: string, from: number, to: number) =>
    recordEvent(store, targetOf(deploy), {
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled ${to > from ? 'up' : 'down'} replica set ${rs} to ${to}`,
      source: { component: 'deployment-controller' },
    })
  for (const old of owned.filter((rs) => rs.metadata.name !== name && rs.spec.replicas !== 0)) {
    store.patch('ReplicaSet', ns, old.metadata.name, (o) => void (o.spec.replicas = 0))
    scale(old.metadata.name, old.spec.replicas, 0)
  }
  const current = owned.find((rs) => rs.metadata.name === name)
  if (!current) {
    const revision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0))) + 1
    store.create(replicaSetFor(deploy, hash, replicas, revision))
    scale(name, 0, replicas)
  } else if (current.spec.replicas !== replicas) {
    store.patch('ReplicaSet', ns, name, (o) => {
      o.spec.replicas = replicas
      Object.assign(o.metadata.annotations!, {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge(deploy, replicas)),
      })
    })
    scale(name, current.spec.replicas, replicas)
  }
  const sets = store.list('ReplicaSet', ns).filter((rs) => ownedBy(rs, deploy))
  for (const rs of sets) reconcileReplicaSet(store, rs)
  const pods = (rs: KObject) => store.list('Pod', ns).filter((p) => ownedBy(p, rs))
  const all = sets.flatMap(pods)
  const updated = sets.filter((rs) => rs.metadata.name === name).flatMap(pods)
  const ready = all.filter(isPodReady).length
  store.patch('Deployment', ns, deploy.metadata.name, (o) => {
    const now = nowText()
    const available = ready >= replicas
    o.status = {
      ...(ready ? { availableReplicas: ready } : {}),
      conditions: [
        condition(
          o.status?.conditions,
          'Available',
          available ? 'True' : 'False',
          available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
          now,
        ),
        condition(
          o.status?.conditions,
          'Progressing',
          'True',
          available ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          available ? `ReplicaSet "${name}" has successfully progressed.` : `ReplicaSet "${name}" is progressing.`,
          now,
        ),
      ],
      observedGeneration: o.metadata.generation ?? 1,
      ...(ready ? { readyReplicas: ready } : {}),
      replicas: all.length,
      ...(all.length - ready > 0 ? { unavailableReplicas: all.length - ready } : {}),
      updatedReplicas: updated.length,
    }
  })
}

/**
 * The replica set controller: adopts matching pods its deployment owned directly (stores written before the twin
 * kept ReplicaSets), then creates or deletes pods named `<rs>-<5 chars>` until `replicas` exist.
 */
export function reconcileReplicaSet(store: ObjectStore, rs: KObject): void {
  const ns = rs.metadata.namespace
  const deployUid = rs.metadata.ownerReferences?.[0]?.uid
  for (const pod of store.list('Pod', ns)) {
    if (
      deployUid &&
      pod.metadata.ownerReferences?.[0]?.uid === deployUid &&
      matches(rs.spec.selector, pod.metadata.labels ?? {})
    ) {
      store.patch('Pod', ns, pod.metadata.name, (o) => void (o.metadata.ownerReferences = [controllerRef(rs)]))
    }
  }
  // controller.FilterActivePods: a pod marked for deletion (evicted from an unreachable node) is replaced.
  const pods = store.list('Pod', ns).filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp)
  const replicas = rs.spec.replicas ?? 1
  for (const extra of pods.slice(replicas)) {
    store.delete('Pod', ns, extra.metadata.name)
    recordEvent(
      store,
      targetOf(rs),
      podEvent('SuccessfulDelete', `Deleted pod: ${extra.metadata.name}`, 'replicaset-controller'),
    )
  }
  for (let n = pods.length; n < replicas; n++) {
    const pod = store.create(newPod(store, rs, `${rs.metadata.name}-`, undefined))
    recordEvent(
      store,
      targetOf(rs),
      podEvent('SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller'),
    )
  }
  const current = store.list('Pod', ns).filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp)
  const ready = current.filter(isPodReady).length
  store.patch('ReplicaSet', ns, rs.metadata.name, (o) => {
    o.status = {
      ...(ready ? { availableReplicas: ready } : {}),
      ...(current.length ? { fullyLabeledReplicas: current.length } : {}),
      observedGeneration: o.metadata.generation ?? 1,
      ...(ready ? { readyReplicas: ready } : {}),
      replicas: current.length,
    }
  })
}
