/**
 * kube-apiserver 1.23's health checks in the order it registers them, as `kubectl get --raw '/healthz?verbose'`
 * lists them on a kind v1.23.4 cluster. /livez has the same; /readyz adds informer-sync after etcd and shutdown last
 * (kubernetes/kubernetes v1.23 staging/src/k8s.io/apiserver/pkg/server/config.go AddReadyzChecks with
 * informer-sync, genericapiserver's shutdown check; test/e2e/apimachinery/health_handlers.go names the required ones).
 */
const HEALTH_CHECKS = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-kube-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/bootstrap-controller',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-status-available-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
]

const checksOf = (endpoint: string) =>
  endpoint === 'readyz'
    ? [...HEALTH_CHECKS.slice(0, 3), 'informer-sync', ...HEALTH_CHECKS.slice(3), 'shutdown']
    : HEALTH_CHECKS

/**
 * A health endpoint as apiserver's healthz handler writes it (staging/src/k8s.io/apiserver/pkg/server/healthz/
 * healthz.go handleRootHealth): `ok` with no newline; with `?verbose`, a `[+]NAME ok` line per check and
 * `NAME check passed`. `/readyz/etcd` answers for one check.
 */
export function health(endpoint: string, check: string | undefined, query: URLSearchParams): string | undefined {
  const checks = checksOf(endpoint)
  if (check !== undefined) return checks.includes(check) ? 'ok' : undefined
  if (!query.has('verbose')) return 'ok'
  return `${checks.map((name) => `[+]${name} ok\n`).join('')}${endpoint} check passed\n`
}
