import { type EventTarget, recordEvent, targetOf } from '../events.ts'
import type { ObjectStore } from '../store.ts'

const fieldPath = (container: string) => `spec.containers{${container}}`

/**
 * The kubelet's container events (pkg/kubelet/kuberuntime and images, 1.23): a started container is `Pulled`
 * (`Container image "x" already present on machine`: kind nodes hold their images preloaded), `Created` and
 * `Started`; a container of a pod that is gone is `Killing` (`Stopping container x`). Derived from the store, so a
 * restarted daemon records nothing twice: a container has its Started event once, its Killing once its pod is gone.
 */
export function recordContainerEvents(store: ObjectStore): void {
  const seen = new Set<string>()
  const started: { target: EventTarget; path: string; host?: string; container: string }[] = []
  for (const e of store.list('Event')) {
    if (e.source?.component !== 'kubelet' || e.involvedObject.kind !== 'Pod') continue
    seen.add(`${e.involvedObject.uid} ${e.reason} ${e.involvedObject.fieldPath}`)
    if (e.reason === 'Started') {
      const { fieldPath: path, ...target } = e.involvedObject
      started.push({ target, path, host: e.source.host, container: /\{(.*)\}$/.exec(path)?.[1] ?? '' })
    }
  }
  const live = new Set<string>()
  for (const pod of store.list('Pod')) {
    live.add(pod.metadata.uid!)
    if (pod.status?.phase !== 'Running') continue
    const source = { component: 'kubelet', host: pod.spec.nodeName }
    for (const c of pod.spec.containers ?? []) {
      if (seen.has(`${pod.metadata.uid} Started ${fieldPath(c.name)}`)) continue
      const target = targetOf(pod)
      const event = (reason: string, message: string) =>
        recordEvent(store, target, { type: 'Normal', reason, message, source, fieldPath: fieldPath(c.name) })
      event('Pulled', `Container image "${c.image}" already present on machine`)
      event('Created', `Created container ${c.name}`)
      event('Started', `Started container ${c.name}`)
    }
  }
  for (const { target, path, host, container } of started) {
    if (live.has(target.uid!) || seen.has(`${target.uid} Killing ${path}`)) continue
    recordEvent(store, target, {
      type: 'Normal',
      reason: 'Killing',
      message: `Stopping container ${container}`,
      source: { component: 'kubelet', ...(host ? { host } : {}) },
      fieldPath: path,
    })
  }
}
