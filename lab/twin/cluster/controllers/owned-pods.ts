import { generateName } from '../names.ts'
import type { KObject, ObjectStore } from '../store.ts'

/** The controller owner reference a workload controller puts on what it creates (apiVersion, controller, blockOwnerDeletion). */
export const controllerRef = (owner: KObject) => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
})

export const ownedBy = (object: KObject, owner: KObject) =>
  (object.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid)

/** A pod from `owner`'s template, named `<prefix><5 chars>`, owned by it. */
export function newPod(
  store: ObjectStore,
  owner: KObject,
  prefix: string,
  nodeName: string | undefined,
  extraLabels: Record<string, string> = {},
): KObject {
  const ns = owner.metadata.namespace!
  const template = owner.spec.template
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: generateName(prefix, (name) => store.get('Pod', ns, name) !== undefined),
      namespace: ns,
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ownerReferences: [controllerRef(owner)],
    },
    spec: { ...structuredClone(template.spec), ...(nodeName ? { nodeName } : {}) },
  }
}

/** A workload controller's event about a pod it created or deleted (`Created pod: x`). */
export const podEvent = (reason: string, message: string, component: string) => ({
  type: 'Normal' as const,
  reason,
  message,
  source: { component },
})
