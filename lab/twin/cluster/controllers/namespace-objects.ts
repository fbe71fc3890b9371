import type { Cluster, Controller } from '../cluster.ts'
import { CLUSTER_CA_PEM } from '../cluster-ca.ts'
import { generateName } from '../names.ts'
import type { KObject, ObjectStore } from '../store.ts'

const b64 = (text: string) => Buffer.from(text).toString('base64')

/**
 * The token a 1.23 token controller signs; the twin serves no TLS and checks no token, so this one only has a
 * JWT's shape (header.claims.signature), with the claims the real one carries.
 */
function token(sa: KObject, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const claims = {
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': sa.metadata.namespace,
    'kubernetes.io/serviceaccount/secret.name': secret,
    'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
    'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  }
  return `${part({ alg: 'RS256', kid: '' })}.${part(claims)}.${part({ unsigned: true })}`
}

/** The token controller of 1.23 (LegacyServiceAccountTokenNoAutoGeneration is off): one token Secret per account. */
function ensureToken(store: ObjectStore, sa: KObject): void {
  if (sa.secrets?.length) return
  const ns = sa.metadata.namespace!
  const name = generateName(`${sa.metadata.name}-token-`, (n) => store.get('Secret', ns, n) !== undefined)
  store.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: {
      name,
      namespace: ns,
      annotations: {
        'kubernetes.io/service-account.name': sa.metadata.name,
        'kubernetes.io/service-account.uid': sa.metadata.uid!,
      },
    },
    data: { 'ca.crt': b64(CLUSTER_CA_PEM), namespace: b64(ns), token: b64(token(sa, name)) },
  })
  store.patch('ServiceAccount', ns, sa.metadata.name, (o) => void (o.secrets = [{ name }]))
}

/**
 * What kube-controller-manager puts in every namespace: the `default` ServiceAccount (serviceaccount controller),
 * a token Secret per account (token controller) and the `kube-root-ca.crt` ConfigMap (root CA publisher).
 */
export const namespaceObjectsController: Controller = {
  name: 'namespace-objects',
  async reconcile(cluster: Cluster) {
    const { store } = cluster
    if (!store.cluster) return
    for (const ns of store.list('Namespace')) {
      const name = ns.metadata.name
      if (!store.get('ServiceAccount', name, 'default'))
        store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } })
      if (!store.get('ConfigMap', name, 'kube-root-ca.crt')) {
        store.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'kube-root-ca.crt',
            namespace: name,
            annotations: {
              'kubernetes.io/description':
                'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
            },
          },
          data: { 'ca.crt': CLUSTER_CA_PEM },
        })
      }
    }
    for (const sa of store.list('ServiceAccount')) ensureToken(store, sa)
  },
}
